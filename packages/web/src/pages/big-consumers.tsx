import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Segmented, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, errorText } from '../api/client.js';
import type { BigConsumer, NightBaseHeat } from '../api/types.js';
import { echarts } from '../charts/echarts.js';
import { formatKw } from '../power/labels.js';
import { rowTestId } from '../registry/list-page.js';

const DAY_CHOICES = [14, 30, 60, 90] as const;
/** Night flatness this many times that of similar meters is worth a visit. */
const PEER_ALERT = 1.5;

function heatOption(heat: NightBaseHeat, unit: string) {
  const width = Math.max(0, ...heat.buildings.map((b) => b.kw.length));
  const first = dayjs(heat.firstDay);
  const days = Array.from({ length: width }, (_, i) => first.add(i, 'day').format('MM-DD'));
  const data = heat.buildings.flatMap((b, y) => b.kw.map((v, x) => [x, y, v ?? '-']));
  const max = Math.max(1, ...heat.buildings.flatMap((b) => b.kw.filter((v): v is number => v !== null)));
  return {
    animation: false,
    tooltip: {
      position: 'top',
      formatter: (p: { value: [number, number, number | string] }) => {
        const [x, y, v] = p.value;
        return `${heat.buildings[y]?.building ?? ''}<br/>${first.add(x, 'day').format('YYYY-MM-DD')}: ${typeof v === 'number' ? `${v.toFixed(1)} ${unit}` : '—'}`;
      },
    },
    grid: { left: 120, right: 96, top: 12, bottom: 36 },
    xAxis: { type: 'category', data: days, splitArea: { show: true } },
    yAxis: { type: 'category', data: heat.buildings.map((b) => b.building), splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: Math.ceil(max),
      calculable: true,
      orient: 'vertical',
      right: 8,
      top: 'middle',
      itemHeight: 120,
      text: [unit, ''],
      inRange: { color: ['#f0f9ff', '#91caff', '#ffd666', '#ff7a45', '#a8071a'] },
    },
    series: [{ type: 'heatmap', data, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
  };
}

/** Measure 2: who draws the most power, how flat their nights are against similar meters, and the campus's nights. */
export default function BigConsumersPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState<number>(30);
  const ranked = useQuery({
    queryKey: ['/power/big-consumers', days],
    queryFn: () => api<{ items: BigConsumer[] }>('/power/big-consumers', { query: { days } }),
  });
  const heat = useQuery({ queryKey: ['/power/night-base', days], queryFn: () => api<NightBaseHeat>('/power/night-base', { query: { days } }) });
  const option = useMemo(() => (heat.data?.firstDay && heat.data.buildings.length ? heatOption(heat.data, 'kW') : null), [heat.data]);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="big-consumers-page">
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('menu.bigConsumers')}
          </Typography.Title>
        }
        extra={
          <Space>
            <Typography.Text type="secondary">{t('power.window')}</Typography.Text>
            <Segmented<number>
              value={days}
              onChange={setDays}
              options={DAY_CHOICES.map((d) => ({ value: d, label: t('power.lastDays', { n: d }) }))}
              data-testid="days-select"
            />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">{t('power.bigHint', { ratio: PEER_ALERT })}</Typography.Paragraph>
        {ranked.isError && <Alert type="error" showIcon title={errorText(ranked.error)} style={{ marginBottom: 16 }} />}
        <Table<BigConsumer & { rank: number }>
          rowKey="meterId"
          size="middle"
          data-testid="big-consumers-table"
          loading={ranked.isFetching}
          dataSource={ranked.data?.items.map((c, i) => ({ ...c, rank: i + 1 }))}
          onRow={rowTestId('big-consumers')}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: 1060 }}
          columns={[
            { title: '#', dataIndex: 'rank', width: 44 },
            {
              title: t('power.meter'),
              key: 'meter',
              width: 170,
              render: (_, c) => (
                <div style={{ lineHeight: 1.5 }}>
                  <Typography.Text strong>{c.code}</Typography.Text>
                  <div>
                    <Typography.Text type="secondary">{c.name}</Typography.Text>
                  </div>
                </div>
              ),
            },
            { title: t('room.building'), dataIndex: 'building', width: 100, render: (v: string | null) => v ?? '—' },
            { title: t('common.department'), dataIndex: 'department', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
            {
              title: t('power.meanKw'),
              dataIndex: 'meanKw',
              width: 100,
              align: 'right',
              sorter: (a, b) => (a.meanKw ?? 0) - (b.meanKw ?? 0),
              render: (v: number | null) => <Typography.Text strong>{formatKw(v)}</Typography.Text>,
            },
            { title: t('power.nightBaseKw'), dataIndex: 'nightBaseKw', width: 110, align: 'right', render: (v: number | null) => formatKw(v) },
            { title: t('power.dayKw'), dataIndex: 'dayKw', width: 90, align: 'right', render: (v: number | null) => formatKw(v) },
            {
              title: <Tooltip title={t('power.flatnessHint')}>{t('power.flatness')}</Tooltip>,
              dataIndex: 'flatness',
              width: 100,
              align: 'right',
              render: (v: number | null) => formatKw(v, 2),
            },
            {
              title: <Tooltip title={t('power.vsPeersHint')}>{t('power.vsPeers')}</Tooltip>,
              dataIndex: 'flatnessVsPeers',
              width: 100,
              align: 'right',
              sorter: (a, b) => (a.flatnessVsPeers ?? 0) - (b.flatnessVsPeers ?? 0),
              render: (v: number | null) =>
                v !== null && v > PEER_ALERT ? (
                  <Tag color="red" data-testid="peer-alert">
                    ×{v.toFixed(2)}
                  </Tag>
                ) : (
                  <span>{v === null ? '—' : `×${v.toFixed(2)}`}</span>
                ),
            },
            { title: t('power.energyKwh'), dataIndex: 'energyKwh', width: 110, align: 'right', render: (v: number) => v.toLocaleString() },
          ]}
        />
      </Card>
      <Card title={t('power.heatTitle')} data-testid="night-heat">
        <Typography.Paragraph type="secondary">{t('power.heatHint')}</Typography.Paragraph>
        {heat.isPending ? (
          <Skeleton active />
        ) : heat.isError ? (
          <Alert type="error" showIcon title={errorText(heat.error)} />
        ) : option ? (
          <div data-testid="night-heat-chart">
            <ReactEChartsCore echarts={echarts} notMerge option={option} style={{ height: Math.max(240, 60 + heat.data.buildings.length * 36) }} />
          </div>
        ) : (
          <Empty description={t('power.noReadings')} />
        )}
      </Card>
    </Space>
  );
}
