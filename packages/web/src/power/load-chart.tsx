import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Empty, List, Skeleton, Space, Tag, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import { formatCampusTime, toChartTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { AnomalyView, MeterLoad } from '../api/types.js';
import { echarts } from '../charts/echarts.js';
import { useLanguage } from '../i18n/locale-provider.js';
import { codeLabel } from '../network/labels.js';
import { baselineBand } from './load-baseline.js';
import { KIND_COLOR, STATUS_COLOR } from './labels.js';

const HOUR_MS = 3_600_000;
const DAYS = 60;

export function useMeterLoad(meterId: number | null) {
  return useQuery({
    queryKey: ['/power/meters/load', meterId, DAYS],
    queryFn: () => api<MeterLoad>(`/power/meters/${meterId}/load`, { query: { days: DAYS } }),
    enabled: meterId !== null,
  });
}

function chartOption(load: MeterLoad, focus: number | null, labels: { kw: string; band: string; low: string }) {
  const t0 = Date.parse(load.start!);
  const at = (i: number) => t0 + i * HOUR_MS;
  const tEnd = at(load.kw.length - 1);
  const { low, high } = baselineBand(load.kw);
  const shown = load.anomalies.filter((a) => Date.parse(a.end) >= t0 && Date.parse(a.start) <= tEnd);
  // Drawn on the campus clock (see toChartTime); the tooltip formats the real moment itself.
  return {
    animation: false,
    useUTC: true,
    tooltip: {
      trigger: 'axis',
      formatter: (params: { dataIndex: number }[]) => {
        const i = params[0]?.dataIndex ?? 0;
        const v = load.kw[i];
        const band = low[i] !== null && high[i] !== null ? `<br/>${labels.band}: ${low[i]!.toFixed(1)} – ${high[i]!.toFixed(1)} kW` : '';
        return `${formatCampusTime(at(i))}<br/>${labels.kw}: ${v === null || v === undefined ? '—' : `${v.toFixed(2)} kW`}${band}`;
      },
    },
    legend: { top: 0, data: [labels.kw, labels.band] },
    grid: { left: 56, right: 24, top: 36, bottom: 72 },
    xAxis: { type: 'time', min: toChartTime(t0), max: toChartTime(tEnd) },
    yAxis: { type: 'value', name: 'kW', scale: true },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 24, bottom: 12 }],
    series: [
      // The band is a stack: an invisible lower edge, then the width between the percentiles filled.
      {
        name: labels.low,
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        tooltip: { show: false },
        data: low.map((v, i) => [toChartTime(at(i)), v]),
      },
      {
        name: labels.band,
        type: 'line',
        stack: 'band',
        symbol: 'none',
        lineStyle: { opacity: 0 },
        itemStyle: { color: '#73d13d' },
        areaStyle: { color: 'rgba(82, 196, 26, 0.35)' },
        data: high.map((v, i) => [toChartTime(at(i)), v === null || low[i] === null ? null : Math.round((v - low[i]!) * 1000) / 1000]),
      },
      {
        name: labels.kw,
        type: 'line',
        symbol: 'none',
        lineStyle: { width: 1.2, color: '#1d39c4' },
        itemStyle: { color: '#1d39c4' },
        data: load.kw.map((v, i) => [toChartTime(at(i)), v]),
        markArea: {
          silent: true,
          data: shown.map((a) => [
            {
              name: codeLabel('power.kinds', a.kind),
              xAxis: toChartTime(Math.max(t0, Date.parse(a.start))),
              itemStyle: { color: a.id === focus ? 'rgba(245, 34, 45, 0.22)' : 'rgba(250, 140, 22, 0.14)' },
              label: { color: '#a8071a', fontSize: 11 },
            },
            { xAxis: toChartTime(Math.min(tEnd, Date.parse(a.end))) },
          ]),
        },
      },
    ],
  };
}

/**
 * A meter's hourly load over the last 60 days of its readings, the band its own previous four
 * weeks make for each hour of the week, and its anomalies shaded; their explanations below.
 */
export function MeterLoadChart({ meterId, focus = null, showAnomalies = true }: { meterId: number; focus?: number | null; showAnomalies?: boolean }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const load = useMeterLoad(meterId);
  const option = useMemo(
    () => (load.data?.start ? chartOption(load.data, focus, { kw: t('power.loadKw'), band: t('power.band'), low: t('power.bandLow') }) : null),
    [load.data, focus, t],
  );
  if (load.isPending) return <Skeleton active />;
  if (load.isError) return <Alert type="error" showIcon title={errorText(load.error)} />;
  return (
    <div data-testid="meter-load">
      {option ? (
        <>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('power.bandHint')}
          </Typography.Text>
          <div data-testid="meter-load-chart">
            <ReactEChartsCore echarts={echarts} notMerge option={option} style={{ height: 340 }} />
          </div>
        </>
      ) : (
        <Empty description={t('power.noReadings')} />
      )}
      {showAnomalies && load.data.anomalies.length > 0 && <AnomalyExplanations items={load.data.anomalies} language={language} />}
    </div>
  );
}

function AnomalyExplanations({ items, language }: { items: AnomalyView[]; language: 'zh-CN' | 'en-US' }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      header={<Typography.Text strong>{t('power.meterAnomalies', { n: items.length })}</Typography.Text>}
      dataSource={items}
      data-testid="meter-anomalies"
      renderItem={(a) => (
        <List.Item>
          <Space orientation="vertical" size={2}>
            <Space size={4} wrap>
              <Tag color={KIND_COLOR[a.kind] ?? 'default'}>{codeLabel('power.kinds', a.kind)}</Tag>
              <Tag color={STATUS_COLOR[a.status] ?? 'default'}>{codeLabel('power.statuses', a.status)}</Tag>
              <Typography.Text type="secondary">
                {formatCampusTime(a.start, 'YYYY-MM-DD')} → {a.ongoing ? t('power.ongoing') : formatCampusTime(a.end, 'YYYY-MM-DD')}
              </Typography.Text>
            </Space>
            <Typography.Text>{a.explanation[language]}</Typography.Text>
          </Space>
        </List.Item>
      )}
    />
  );
}
