import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { formatCampusTime, fromCampusWallClock, toCampusWallClock } from '../time/campus-time.js';
import { normalizeIp } from '@core/org/address.js';
import { api, errorText } from '../api/client.js';
import { i18next } from '../i18n/i18n.js';
import type { IpAttribution } from '../api/types.js';
import { useLanguage } from '../i18n/locale-provider.js';
import { assetKindLabel, roomTypeLabel } from '../registry/labels.js';
import { MissingResponsibleTag } from '../registry/missing-tag.js';

/** Known sources have a label; a source added later on the server still shows, by its code. */
function sourceLabel(source: string): string {
  const key = `ip.sources.${source}`;
  return i18next.exists(key) ? i18next.t(key) : source;
}

function formatTime(iso: string | null | undefined): string | null {
  return iso ? formatCampusTime(iso, 'YYYY-MM-DD HH:mm:ss') : null;
}

/** "Who had IP x at time t": the binding in force then and the asset, room, person and department behind it. */
export default function IpAttributionPage() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const [asked, setAsked] = useState<{ ip: string; at: string } | null>(null);
  const result = useQuery({
    queryKey: ['/ip-attribution', asked],
    queryFn: () => api<IpAttribution>('/ip-attribution', { query: asked ?? {} }),
    enabled: asked !== null,
  });
  const r = result.data;

  return (
    <Card title={t('ip.title')} data-testid="ip-attribution-page">
      <Form<{ ip: string; at: Dayjs }>
        layout="inline"
        initialValues={{ at: toCampusWallClock() }}
        onFinish={(v) => setAsked({ ip: normalizeIp(v.ip) ?? v.ip.trim(), at: fromCampusWallClock(v.at).toISOString() })}
        style={{ marginBottom: 24 }}
      >
        <Form.Item
          name="ip"
          label={t('ip.ip')}
          rules={[
            { required: true },
            { validator: (_, v: string) => (normalizeIp(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('errors.validation')))) },
          ]}
        >
          <Input placeholder="10.1.2.3" style={{ width: 220 }} data-testid="ip-input" />
        </Form.Item>
        <Form.Item name="at" label={t('ip.at')} rules={[{ required: true }]}>
          <DatePicker showTime data-testid="ip-at" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={result.isFetching} data-testid="ip-submit">
          {t('ip.submit')}
        </Button>
      </Form>
      {result.isError && <Alert type="error" showIcon title={errorText(result.error)} />}
      {r && !r.binding && !r.asset && <Empty description={t('ip.noBinding')} />}
      {r && (r.binding || r.asset) && (
        <Descriptions bordered column={1} size="middle" data-testid="ip-result" styles={{ label: { width: 180 } }}>
          <Descriptions.Item label={t('ip.ip')}>
            {r.ip} @ {formatTime(r.at)}
          </Descriptions.Item>
          <Descriptions.Item label={t('ip.source')}>{r.binding ? <Tag color="blue">{sourceLabel(r.binding.source)}</Tag> : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('ip.validity')}>
            {r.binding ? `${formatTime(r.binding.validFrom) ?? '—'} ~ ${formatTime(r.binding.validTo) ?? t('ip.openEnded')}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('ip.mac')}>{r.binding?.mac ?? '—'}</Descriptions.Item>
          {r.binding?.hostname && <Descriptions.Item label={t('ip.leaseHostname')}>{r.binding.hostname}</Descriptions.Item>}
          {r.binding?.account && <Descriptions.Item label={t('ip.account')}>{r.binding.account}</Descriptions.Item>}
          <Descriptions.Item label={t('ip.asset')}>
            {r.asset ? (
              <>
                <Tag>{assetKindLabel(r.asset.kind, language)}</Tag>
                {r.asset.hostname ?? r.asset.assetTag ?? `#${r.asset.id}`}
                {r.asset.missingResponsible && <MissingResponsibleTag />}
              </>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('ip.room')}>
            {r.room ? `${r.room.building} ${r.room.number}（${roomTypeLabel(r.room.type, language)}）` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('ip.person')}>
            {r.person ? `${r.person.name}（${r.person.staffNo}）${r.person.phone ? ` ${r.person.phone}` : ''}` : '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('ip.department')}>{r.department?.name ?? '—'}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}
