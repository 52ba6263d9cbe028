import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Col, Empty, Row, Segmented, Skeleton, Space, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client.js';
import type { HostHistory, HostLoadPoint } from '../api/types.js';
import { echarts } from '../charts/echarts.js';
import { loadSeries, silenceAfter } from './load-series.js';
import { toChartTime } from '../time/campus-time.js';

const WINDOWS = [6, 24, 168] as const;
type Window = (typeof WINDOWS)[number];

interface Line {
  name: string;
  color: string;
  pick: (p: HostLoadPoint) => number | null;
  area?: boolean;
}

function percentOption(history: HostHistory, lines: Line[]) {
  const silence = silenceAfter(history.points, history.bucketSeconds);
  return {
    animation: false,
    useUTC: true, // on the campus clock (see toChartTime)
    tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null || v === undefined ? '—' : `${v.toFixed(1)} %`) },
    legend: { top: 0, data: lines.map((l) => l.name) },
    grid: { left: 44, right: 16, top: 32, bottom: 28 },
    xAxis: { type: 'time', min: toChartTime(Date.parse(history.from)), max: toChartTime(Date.parse(history.to)) },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
    series: lines.map((l) => ({
      name: l.name,
      type: 'line',
      // Dots only when there are few points: a lone report between silences is a dot, not nothing.
      symbol: 'circle',
      symbolSize: 4,
      showSymbol: history.points.length <= 48,
      lineStyle: { width: 1.5, color: l.color },
      itemStyle: { color: l.color },
      ...(l.area ? { areaStyle: { color: l.color, opacity: 0.12 } } : {}),
      data: loadSeries(history.points, l.pick, silence).map(([t, v]) => [toChartTime(t), v]),
    })),
  };
}

/**
 * A host's CPU and memory, and its GPUs' utilisation and memory, over the last hours, from the
 * load each report carried. The busiest GPU is drawn: a miner on one board of eight shows.
 */
export function HostLoadCharts({ hostId, hasGpus }: { hostId: number; hasGpus: boolean }) {
  const { t } = useTranslation();
  const [hours, setHours] = useState<Window>(24);
  const history = useQuery({
    queryKey: ['/agents/history', hostId, hours],
    queryFn: () => api<HostHistory>(`/agents/${hostId}/history`, { query: { hours } }),
  });
  const data = history.data;
  const gpuSeen = hasGpus || Boolean(data?.points.some((p) => p.gpu !== null));
  const cpu = useMemo(
    () =>
      data?.points.length
        ? percentOption(data, [
            { name: t('host.cpuPercent'), color: '#1d39c4', pick: (p) => p.cpu, area: true },
            { name: t('host.memPercent'), color: '#08979c', pick: (p) => p.mem },
          ])
        : null,
    [data, t],
  );
  const gpu = useMemo(
    () =>
      data?.points.length && gpuSeen
        ? percentOption(data, [
            { name: t('host.gpuUtil'), color: '#d4380d', pick: (p) => p.gpu, area: true },
            { name: t('host.gpuMemPercent'), color: '#d48806', pick: (p) => p.gpuMem },
          ])
        : null,
    [data, gpuSeen, t],
  );
  return (
    <div data-testid="host-load">
      <Space style={{ marginBottom: 8 }} wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('host.loadTitle')}
        </Typography.Title>
        <Segmented<Window>
          size="small"
          value={hours}
          onChange={setHours}
          options={WINDOWS.map((h) => ({ value: h, label: h < 48 ? t('host.lastHours', { n: h }) : t('host.lastDays', { n: h / 24 }) }))}
          data-testid="host-load-window"
        />
        {data && data.bucketSeconds > 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('host.averaged', { minutes: Math.round(data.bucketSeconds / 60) })}
          </Typography.Text>
        )}
      </Space>
      {history.isPending ? (
        <Skeleton active />
      ) : history.isError ? (
        <Alert type="error" showIcon title={errorText(history.error)} />
      ) : !cpu ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('host.noHistory')} />
      ) : (
        <Row gutter={16}>
          <Col span={12}>
            <div data-testid="host-cpu-chart">
              <ReactEChartsCore echarts={echarts} notMerge option={cpu} style={{ height: 220 }} />
            </div>
          </Col>
          <Col span={12}>
            {gpu ? (
              <div data-testid="host-gpu-chart">
                <ReactEChartsCore echarts={echarts} notMerge option={gpu} style={{ height: 220 }} />
              </div>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('host.noGpu')} style={{ marginTop: 48 }} />
            )}
          </Col>
        </Row>
      )}
    </div>
  );
}
