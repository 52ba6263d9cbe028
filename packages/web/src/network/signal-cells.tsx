import { Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SignalView } from '../api/types.js';
import { CATEGORY_COLOR, codeLabel } from './labels.js';

/**
 * Who is behind a signal: the asset, room, responsible person and department held at the time;
 * a red "unattributed" tag when no registered asset had the address (the IT center's to chase).
 */
export function AttributionCell({ signal }: { signal: SignalView }) {
  const { t } = useTranslation();
  if (!signal.asset) {
    return (
      <Space size={4} wrap>
        <Tag color="red" data-testid="unattributed">
          {t('signal.unattributed')}
        </Tag>
        {signal.department?.name && <Typography.Text type="secondary">{signal.department.name}</Typography.Text>}
      </Space>
    );
  }
  const where = [signal.room, signal.responsiblePerson].filter(Boolean).join(' · ');
  return (
    <div style={{ lineHeight: 1.5 }}>
      <Typography.Text strong>{signal.asset.hostname ?? `#${signal.asset.id}`}</Typography.Text>
      {signal.department?.name && <Tag style={{ marginLeft: 6 }}>{signal.department.name}</Tag>}
      <div>
        {where ? <Typography.Text type="secondary">{where}</Typography.Text> : <Typography.Text type="secondary">{t('signal.noRoomOrPerson')}</Typography.Text>}
      </div>
    </div>
  );
}

/** The indicator that matched and its category; the names actually asked for when they differ. */
export function IndicatorCell({ signal }: { signal: SignalView }) {
  const { indicator, names } = signal;
  const others = names.filter((n) => n !== indicator.value);
  return (
    <div style={{ lineHeight: 1.5 }}>
      <Typography.Text code style={{ wordBreak: 'break-all' }}>
        {indicator.value}
      </Typography.Text>
      <Tag color={CATEGORY_COLOR[indicator.category] ?? 'default'} style={{ marginLeft: 4 }}>
        {codeLabel('intel.categories', indicator.category)}
      </Tag>
      {others.length > 0 && (
        <Tooltip title={others.join('\n')}>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis>
              {others.slice(0, 2).join(', ')}
              {others.length > 2 ? ` +${others.length - 2}` : ''}
            </Typography.Text>
          </div>
        </Tooltip>
      )}
    </div>
  );
}

/** Where a signal came from (DNS log, flow, IDS, agent…) and, under it, the log format. */
export function SourceCell({ signal }: { signal: SignalView }) {
  return (
    <>
      <div>{codeLabel('signal.sources', signal.source)}</div>
      {signal.logFormat && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {signal.logFormat}
        </Typography.Text>
      )}
    </>
  );
}
