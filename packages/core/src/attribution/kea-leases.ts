import { normalizeIp, normalizeMac } from '../org/address.js';
import { LeaseJournal, type LeaseParseResult, type LeaseProblem } from './lease-binding.js';
import { isoUtc } from './lease-time.js';
import { splitCsvLine } from './lease-csv.js';

/** Kea's "infinite" valid lifetime (0xffffffff): the lease never expires. */
const INFINITE_LIFETIME = 4294967295;

/** Kea lease states (src/lib/dhcpsrv/lease.h): 1 = the client declined the address, so nobody held it. */
const STATE_DECLINED = '1';

/**
 * ISC Kea memfile `kea-leases4.csv` (and `kea-admin lease-dump` output):
 *
 *     address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id
 *     192.0.2.1,06:07:08:09:0a:bc,,200,200,8,1,1,host.example.com,0,,0
 *
 * Columns are found by header name (older Kea versions have fewer). `expire` is the epoch second
 * the lease ends, so it started at `expire − valid_lifetime`. Commas inside text are escaped
 * `&#x2c`. The file is an append-only journal like dhcpd.leases: later rows win (see LeaseJournal).
 */
export function parseKeaLeases4(text: string): LeaseParseResult {
  const malformed: LeaseProblem[] = [];
  const skipped: LeaseProblem[] = [];
  const journal = new LeaseJournal();
  let header: string[] | undefined;

  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    const line = rawLine.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#')) return;
    const cells = splitCsvLine(line).map((c) => c.trim().replaceAll('&#x2c', ','));
    if (!header) {
      if (cells[0] !== 'address' || !cells.includes('expire') || !cells.includes('valid_lifetime')) {
        malformed.push({ line: lineNo, code: 'missing_field', detail: 'first line is not a Kea lease4 header (address,hwaddr,…,expire,…)' });
        header = ['address', 'hwaddr', 'client_id', 'valid_lifetime', 'expire', 'subnet_id', 'fqdn_fwd', 'fqdn_rev', 'hostname'];
      } else {
        header = cells;
        skipped.push({ line: lineNo, code: 'header', detail: `columns: ${cells.join(',')}` });
        return;
      }
    }
    const cols = header;
    const cell = (name: string): string => cells[cols.indexOf(name)] ?? '';
    if (cells.length < cols.indexOf('expire') + 1) {
      malformed.push({ line: lineNo, code: 'missing_field', detail: `${cells.length} fields, header has ${cols.length}` });
      return;
    }
    const ip = normalizeIp(cell('address'));
    if (!ip || ip.includes(':')) {
      malformed.push({ line: lineNo, code: 'bad_ip', detail: `address "${cell('address')}" is not an IPv4 address` });
      return;
    }
    const lifetime = cell('valid_lifetime');
    const expire = cell('expire');
    if (!/^\d+$/.test(lifetime) || !/^\d+$/.test(expire) || Number(lifetime) > Number(expire)) {
      malformed.push({ line: lineNo, code: 'bad_time', detail: `valid_lifetime "${lifetime}" / expire "${expire}" are not epoch seconds` });
      return;
    }
    if (cell('state') === STATE_DECLINED) {
      skipped.push({ line: lineNo, code: 'declined', detail: `${ip} was declined by the client` });
      return;
    }
    const hw = cell('hwaddr');
    if (!hw) {
      skipped.push({ line: lineNo, code: 'no_mac', detail: `${ip}: empty hwaddr` });
      return;
    }
    const mac = normalizeMac(hw);
    if (!mac) {
      malformed.push({ line: lineNo, code: 'bad_mac', detail: `${ip}: hwaddr "${hw}" is not a 6-byte MAC` });
      return;
    }
    const infinite = Number(lifetime) === INFINITE_LIFETIME;
    const hostname = cell('hostname');
    journal.record({
      ip,
      mac,
      start: isoUtc((Number(expire) - Number(lifetime)) * 1000),
      end: infinite ? null : isoUtc(Number(expire) * 1000),
      ...(hostname ? { hostname } : {}),
      source: 'dhcp',
    });
  });
  return { format: 'kea4', bindings: journal.bindings(), malformed, skipped };
}
