import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Empty, Skeleton, Table, Tag, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import { formatCampusTime, toChartTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { HostTimeline, Page, SignalView } from '../api/types.js';
import { echarts } from '../charts/echarts.js';
import { AttributionCell, IndicatorCell, SourceCell } from './signal-cells.js';
import { codeLabel, EVIDENCE_COLOR } from './labels.js';
import { rowTestId } from '../registry/list-page.js';

const DAY_MS = 86_400_000;
const formatTime = (iso: string) => formatCampusTime(iso, 'YYYY-MM-DD HH:mm:ss');

/**
 * The window a timeline shows: the last 30 days, reaching further back when the signal that was
 * clicked is older (an imported old log), so the drawer never opens empty.
 */
function windowStart(signal: SignalView, now: number): string {
  return new Date(Math.min(now, Date.parse(signal.lastSeen)) - 30 * DAY_MS).toISOString();
}

/** An IP's signals come from its timeline; an asset's (agent, power) from the list filtered to it. */
async function fetchTimeline(signal: SignalView, since: string): Promise<SignalView[]> {
  if (signal.ip) return (await api<HostTimeline>(`/signals/hosts/${encodeURIComponent(signal.ip)}`, { query: { since } })).items;
  if (signal.asset) {
    const page = await api<Page<SignalView>>('/signals', { query: { assetId: signal.asset.id, since, pageSize: 500 } });
    return [...page.items].reverse();
  }
  return [signal];
}

/** Counts per hour, one stacked bar series per indicator. */
function chartOption(items: SignalView[], countLabel: string) {
  const byIndicator = new Map<string, Map<string, number>>();
  for (const s of items) {
    const hours = byIndicator.get(s.indicator.value) ?? new Map<string, number>();
    hours.set(s.hour, (hours.get(s.hour) ?? 0) + s.count);
    byIndicator.set(s.indicator.value, hours);
  }
  const times = items.map((s) => Date.parse(s.hour));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = last - first;
  // Pad so a single hour is a visible bar, not a sliver at the edge of the axis.
  const pad = Math.max(3_600_000 * 3, span * 0.05);
  return {
    // Hours on the campus clock (see toChartTime).
    useUTC: true,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: span > 2 * DAY_MS ? 70 : 40 },
    xAxis: { type: 'time', min: toChartTime(first - pad), max: toChartTime(last + pad) },
    yAxis: { type: 'value', name: countLabel, minInterval: 1 },
    dataZoom: span > 2 * DAY_MS ? [{ type: 'inside' }, { type: 'slider' }] : [],
    series: [...byIndicator].map(([name, hours]) => ({
      name,
      type: 'bar',
      stack: 'count',
      barMaxWidth: 18,
      barMinWidth: 3,
      data: [...hours].map(([hour, n]) => [toChartTime(Date.parse(hour)), n]),
    })),
  };
}

/** One host's signals over time: who it is, a chart of counts per hour, and the rows. */
export function HostTimelineDrawer({ signal, onClose }: { signal: SignalView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const since = useMemo(() => (signal ? windowStart(signal, Date.now()) : ''), [signal]);
  const timeline = useQuery({
    queryKey: ['/signals/timeline', signal?.subject, signal?.asset?.id, since],
    queryFn: () => fetchTimeline(signal!, since),
    enabled: signal !== null,
  });
  const items = timeline.data ?? [];
  const title = signal ? (signal.ip ?? `${codeLabel('signal.subjects', signal.subject.kind)} ${signal.subject.value}`) : '';

  return (
    <Drawer open={signal !== null} title={t('signal.timelineTitle', { host: title })} size={880} onClose={onClose} destroyOnHidden data-testid="host-timeline">
      {signal && (
        <>
          <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('signal.host')}>{title}</Descriptions.Item>
            <Descriptions.Item label={t('signal.attribution')}>
              <AttributionCell signal={signal} />
            </Descriptions.Item>
            <Descriptions.Item label={t('signal.window')} span={2}>
              {t('signal.windowSince', { since: formatTime(since) })}
            </Descriptions.Item>
          </Descriptions>
          {timeline.isError && <Alert type="error" showIcon title={errorText(timeline.error)} />}
          {timeline.isPending && <Skeleton active />}
          {timeline.isSuccess && items.length === 0 && <Empty description={t('signal.noSignals')} />}
          {items.length > 0 && (
            <>
              <Typography.Title level={5}>{t('signal.chartTitle')}</Typography.Title>
              <div data-testid="host-timeline-chart">
                <ReactEChartsCore echarts={echarts} option={chartOption(items, t('signal.count'))} notMerge style={{ height: 300 }} />
              </div>
              <Table<SignalView>
                rowKey="id"
                size="small"
                style={{ marginTop: 16 }}
                dataSource={[...items].reverse()}
                onRow={rowTestId('host-timeline')}
                pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
                columns={[
                  { title: t('signal.hour'), dataIndex: 'hour', width: 120, render: (v: string) => formatCampusTime(v, 'MM-DD HH:00') },
                  { title: t('signal.indicator'), key: 'indicator', render: (_, s) => <IndicatorCell signal={s} /> },
                  {
                    title: t('signal.evidenceLevel'),
                    dataIndex: 'evidence',
                    width: 70,
                    render: (v: string) => <Tag color={EVIDENCE_COLOR[v]}>{codeLabel('signal.evidenceLevels', v)}</Tag>,
                  },
                  {
                    title: t('signal.source'),
                    dataIndex: 'source',
                    width: 110,
                    render: (_: string, s) => <SourceCell signal={s} />,
                  },
                  { title: t('signal.count'), dataIndex: 'count', width: 70, align: 'right' },
                  { title: t('signal.lastSeen'), dataIndex: 'lastSeen', width: 100, render: (v: string) => formatCampusTime(v, 'HH:mm:ss') },
                ]}
              />
            </>
          )}
        </>
      )}
    </Drawer>
  );
}
