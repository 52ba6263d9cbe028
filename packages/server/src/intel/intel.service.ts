import { createHash } from 'node:crypto';
import {
  buildBlocklist,
  canonicalValue,
  compileIntel,
  indicatorCategorySchema,
  renderExport,
  type ExportFormat,
  type IndicatorCategory,
  type IndicatorType,
  type IntelBundle,
  type IntelMatcher,
} from '@qingling/core';
import type { Database } from '../db/database.js';
import type { Actor } from '../auth/actor.js';
import { appendAudit } from '../audit/audit.repository.js';
import { badRequest, conflict, forbidden, notFound } from '../http/app-error.js';
import { constraintViolation } from '../db/constraint-error.js';
import * as repo from './indicator.repository.js';
import { parseIndicatorList } from './indicator-list-text.js';

export interface CompiledIntel {
  version: string;
  bundle: IntelBundle;
  matcher: IntelMatcher;
}

/** Largest list fetched from a URL or uploaded. */
export const LIST_LIMIT_BYTES = 10 * 1024 * 1024;
/** Recompile at least this often even without changes, so expired entries drop out. */
const RECOMPILE_MS = 5 * 60_000;

function assertIntelAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('only the IT center manages indicators');
}

/**
 * The indicator database (measure 1): seeded from the bundled rules/intel, extended by admins and
 * imported lists, with an allowlist that always wins. Every change bumps a revision, so exports
 * carry `<bundle version>+r<revision>` and DNS servers/firewalls can pull with ETags.
 */
export class IntelService {
  private compiled: (CompiledIntel & { revision: number; at: number }) | null = null;

  constructor(
    private readonly store: Database,
    private readonly sharedPlatforms: readonly string[],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Loads the bundle into the database when its version differs from what is there. */
  async syncBundle(bundle: IntelBundle): Promise<{ loaded: number; disabled: number } | null> {
    const state = await repo.intelState(this.store.db);
    if (state.bundle_version === bundle.version) return null;
    const now = this.clock().toISOString();
    return this.store.db.transaction().execute(async (trx) => {
      const rows = bundle.indicators.map((i) => ({
        type: i.type,
        value: i.value,
        port: i.port ?? 0,
        category: i.category,
        source: i.source,
        origin: 'bundle',
        note: null,
        expires_at: i.expires,
      }));
      await repo.upsertIndicators(trx, rows, now);
      const disabled = await repo.disableBundleEntriesNotIn(trx, new Set(rows.map((r) => `${r.type}|${r.value}|${r.port}`)), now);
      await repo.upsertAllowlist(trx, bundle.allow.map((value) => ({ value, note: 'rules/intel/allow.txt', origin: 'bundle' })), now);
      await repo.bumpRevision(trx, now, bundle.version);
      return { loaded: rows.length, disabled };
    });
  }

  /** The matcher over the active database entries, recompiled when the revision moves. */
  async current(): Promise<CompiledIntel> {
    const db = this.store.db;
    const state = await repo.intelState(db);
    const nowMs = this.clock().getTime();
    if (this.compiled && this.compiled.revision === state.revision && nowMs - this.compiled.at < RECOMPILE_MS) return this.compiled;
    const now = new Date(nowMs).toISOString();
    const version = `${state.bundle_version || 'none'}+r${state.revision}`;
    const bundle: IntelBundle = {
      version,
      indicators: await repo.activeIndicators(db, now),
      allow: (await repo.listAllowlist(db)).map((a) => a.value),
      sharedPlatforms: [...this.sharedPlatforms],
    };
    const matcher = compileIntel({ ...bundle, now: nowMs, version });
    this.compiled = { version, bundle, matcher, revision: state.revision, at: nowMs };
    return this.compiled;
  }

  /** One export, byte-identical for the same list version (so its hash is a strong ETag). */
  async exportList(format: ExportFormat): Promise<{ body: string; etag: string; version: string }> {
    const { bundle, matcher, version } = await this.current();
    const body = renderExport(format, buildBlocklist(bundle, matcher));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    return { body, etag, version };
  }

  async list(f: repo.IndicatorListFilter) {
    const { rows, total } = await repo.listIndicators(this.store.db, f);
    return {
      items: rows.map((r) => ({
        id: r.id,
        type: r.type,
        value: r.value,
        port: r.port === 0 ? null : r.port,
        category: r.category,
        source: r.source,
        origin: r.origin,
        note: r.note,
        expiresAt: r.expires_at,
        disabled: r.disabled === 1,
        hits: r.hits,
        lastHitAt: r.last_hit_at,
      })),
      total,
      page: f.page,
      pageSize: f.pageSize,
      version: (await this.current()).version,
    };
  }

  async add(
    actor: Actor,
    input: { type: IndicatorType; value: string; port?: number | null; category: IndicatorCategory; source?: string; note?: string | null; expiresAt?: string | null },
  ): Promise<number> {
    assertIntelAdmin(actor);
    const value = canonicalValue(input.type, input.value);
    if (value === undefined) throw badRequest('validation', `not a valid ${input.type}: ${input.value}`, { issues: [{ path: 'body.value', message: `not a valid ${input.type}` }] });
    const now = this.clock();
    const nowIso = now.toISOString();
    try {
      return await this.store.db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('indicators')
          .values({
            type: input.type,
            value,
            port: input.port ?? 0,
            category: input.category,
            source: input.source ?? `manual:${actor.username}`,
            origin: 'manual',
            note: input.note ?? null,
            expires_at: input.expiresAt ?? null,
            disabled: 0,
            hits: 0,
            last_hit_at: null,
            created_at: nowIso,
            updated_at: nowIso,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await repo.bumpRevision(trx, nowIso);
        await appendAudit(trx, actor, { action: 'create', entity: 'indicator', entityId: row.id, after: { ...input, value } }, now);
        return row.id;
      });
    } catch (err) {
      if (constraintViolation(err) === 'unique') throw conflict(`${input.type} ${value} is already listed`);
      throw err;
    }
  }

  /** Expire, disable/enable, recategorise or annotate an entry. */
  async update(actor: Actor, id: number, change: { disabled?: boolean; expiresAt?: string | null; note?: string | null; category?: IndicatorCategory }): Promise<void> {
    assertIntelAdmin(actor);
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      const before = await repo.findIndicator(trx, id);
      if (!before) throw notFound('indicator');
      const set: Parameters<typeof repo.updateIndicator>[2] = {};
      if (change.disabled !== undefined) set.disabled = change.disabled ? 1 : 0;
      if (change.expiresAt !== undefined) set.expires_at = change.expiresAt;
      if (change.note !== undefined) set.note = change.note;
      if (change.category !== undefined) set.category = indicatorCategorySchema.parse(change.category);
      await repo.updateIndicator(trx, id, set, now.toISOString());
      await repo.bumpRevision(trx, now.toISOString());
      await appendAudit(trx, actor, { action: 'update', entity: 'indicator', entityId: id, before: { disabled: before.disabled === 1, expiresAt: before.expires_at, note: before.note, category: before.category }, after: change }, now);
    });
  }

  /** A list from a file or URL (plain, hosts or Adblock syntax); lines that are no indicator are counted and reported. */
  async importList(actor: Actor, text: string, options: { category: IndicatorCategory; source: string; expiresAt?: string | null }) {
    assertIntelAdmin(actor);
    const parsed = parseIndicatorList(text);
    if (parsed.entries.length === 0) {
      throw badRequest('intel.empty_list', `no domain, IP or CIDR found in the list (${parsed.skippedCount} lines skipped)`, { skipped: parsed.skipped });
    }
    const now = this.clock();
    const nowIso = now.toISOString();
    await this.store.db.transaction().execute(async (trx) => {
      await repo.upsertIndicators(
        trx,
        parsed.entries.map((e) => ({ type: e.type, value: e.value, port: 0, category: options.category, source: options.source, origin: 'import', note: null, expires_at: options.expiresAt ?? null })),
        nowIso,
      );
      await repo.bumpRevision(trx, nowIso);
      await appendAudit(trx, actor, { action: 'import', entity: 'indicator', after: { source: options.source, category: options.category, entries: parsed.entries.length, skipped: parsed.skippedCount } }, now);
    });
    return { imported: parsed.entries.length, skipped: parsed.skippedCount, skippedLines: parsed.skipped, version: (await this.current()).version };
  }

  /** Fetches a published list (http/https only, size- and time-limited) and imports it. */
  async importFromUrl(actor: Actor, url: string, options: { category: IndicatorCategory; expiresAt?: string | null }) {
    assertIntelAdmin(actor);
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(url);
    } catch {
      throw badRequest('validation', `not a URL: ${url}`);
    }
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:') throw badRequest('validation', 'only http and https URLs');
    let res: Response;
    try {
      res = await fetch(parsedUrl, { signal: AbortSignal.timeout(20_000), redirect: 'follow' });
    } catch (err) {
      throw badRequest('intel.fetch_failed', `could not fetch ${url}: ${(err as Error).message}`);
    }
    if (!res.ok) throw badRequest('intel.fetch_failed', `fetching ${url} answered HTTP ${res.status}`);
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > LIST_LIMIT_BYTES) throw badRequest('intel.list_too_large', `list is ${declared} bytes; the limit is ${LIST_LIMIT_BYTES}`);
    const body = Buffer.from(await res.arrayBuffer());
    if (body.length > LIST_LIMIT_BYTES) throw badRequest('intel.list_too_large', `list is ${body.length} bytes; the limit is ${LIST_LIMIT_BYTES}`);
    return this.importList(actor, body.toString('utf8'), { ...options, source: `url:${parsedUrl.host}${parsedUrl.pathname}` });
  }

  async allowlist() {
    return (await repo.listAllowlist(this.store.db)).map((a) => ({ id: a.id, value: a.value, note: a.note, origin: a.origin, createdAt: a.created_at }));
  }

  /** A campus' own service that must never be blocked or reported (a domain, IP or CIDR). */
  async allow(actor: Actor, value: string, note: string | null): Promise<void> {
    assertIntelAdmin(actor);
    const v = value.trim().toLowerCase().replace(/\.$/, '');
    const kind: IndicatorType = v.includes('/') ? 'cidr' : /^[\d.]+$/.test(v) || v.includes(':') ? 'ip' : 'domain';
    const canonical = canonicalValue(kind, v);
    if (canonical === undefined) throw badRequest('validation', `not a domain, IP or CIDR: ${value}`);
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      await repo.upsertAllowlist(trx, [{ value: canonical, note, origin: 'manual' }], now.toISOString());
      await repo.bumpRevision(trx, now.toISOString());
      await appendAudit(trx, actor, { action: 'create', entity: 'intel_allow', after: { value: canonical, note } }, now);
    });
  }

  async disallow(actor: Actor, id: number): Promise<void> {
    assertIntelAdmin(actor);
    const now = this.clock();
    await this.store.db.transaction().execute(async (trx) => {
      if ((await repo.deleteAllowlist(trx, id)) === 0) throw notFound('allowlist entry');
      await repo.bumpRevision(trx, now.toISOString());
      await appendAudit(trx, actor, { action: 'delete', entity: 'intel_allow', entityId: id }, now);
    });
  }
}
