import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Segmented, Skeleton, Space, Table, Tag, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import { formatCampusTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { AfterHoursReport } from '../api/types.js';
import { echarts } from '../charts/echarts.js';
import { rowTestId } from '../registry/list-page.js';

const DAY_CHOICES = [1, 7, 14, 30] as const;
type AfterHoursHost = AfterHoursReport['hosts'][number];

const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
const utc = (minutes: number) => `UTC${minutes >= 0 ? '+' : '−'}${Math.abs(minutes) / 60}`;

/** Measure 4: computers left on outside working hours, per department, with who is responsible for each. */
export default function AfterHoursPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState<number>(7);
  const report = useQuery({ queryKey: ['/agents/after-hours', days], queryFn: () => api<AfterHoursReport>('/agents/after-hours', { query: { days } }) });
  const data = report.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="after-hours-page">
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('menu.afterHours')}
          </Typography.Title>
        }
        extra={
          <Segmented<number>
            value={days}
            onChange={setDays}
            options={DAY_CHOICES.map((d) => ({ value: d, label: t('power.lastDays', { n: d }) }))}
            data-testid="days-select"
          />
        }
      >
        {data && (
          <Typography.Paragraph type="secondary" data-testid="after-hours-schedule">
            {t('host.afterHoursHint', {
              from: pad(data.schedule.startHour),
              to: pad(data.schedule.endHour),
              zone: utc(data.schedule.utcOffsetMinutes),
              since: formatCampusTime(data.since),
            })}
          </Typography.Paragraph>
        )}
        {report.isError && <Alert type="error" showIcon title={errorText(report.error)} />}
        {report.isPending ? (
          <Skeleton active />
        ) : data && data.departments.length ? (
          <div data-testid="after-hours-chart">
            <ReactEChartsCore
              echarts={echarts}
              notMerge
              style={{ height: Math.max(220, 90 + data.departments.length * 44) }}
              option={{
                animation: false,
                tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                legend: { top: 0 },
                grid: { left: 140, right: 32, top: 36, bottom: 24 },
                xAxis: { type: 'value', minInterval: 1 },
                yAxis: { type: 'category', data: data.departments.map((d) => d.departmentName), inverse: true },
                series: [
                  {
                    name: t('host.reporting'),
                    type: 'bar',
                    data: data.departments.map((d) => d.reporting),
                    itemStyle: { color: '#69b1ff' },
                    barMaxWidth: 18,
                    label: { show: true, position: 'right' },
                  },
                  {
                    name: t('host.poweredOn'),
                    type: 'bar',
                    data: data.departments.map((d) => d.poweredOnAfterHours),
                    itemStyle: { color: '#ff7875' },
                    barMaxWidth: 18,
                    label: { show: true, position: 'right' },
                  },
                ],
              }}
            />
          </div>
        ) : (
          !report.isError && <Empty description={t('host.noHosts')} />
        )}
      </Card>
      <Card title={t('host.afterHoursHosts', { n: data?.hosts.length ?? 0 })}>
        <Table<AfterHoursHost>
          rowKey="agentId"
          size="middle"
          data-testid="after-hours-table"
          loading={report.isFetching}
          dataSource={data?.hosts}
          onRow={rowTestId('after-hours')}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 960 }}
          columns={[
            { title: t('host.hostname'), dataIndex: 'hostname', width: 180, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            {
              title: t('host.asset'),
              dataIndex: 'asset',
              width: 160,
              render: (v: AfterHoursHost['asset']) => (v ? (v.hostname ?? `#${v.id}`) : <Tag color="orange">{t('host.unlinked')}</Tag>),
            },
            { title: t('asset.room'), dataIndex: 'room', width: 140, render: (v: string | null) => v ?? '—' },
            {
              title: t('asset.responsible'),
              dataIndex: 'responsiblePerson',
              width: 120,
              render: (v: string | null) => (v ? <Typography.Text strong>{v}</Typography.Text> : <Tag color="red">{t('asset.missingResponsible')}</Tag>),
            },
            { title: t('common.department'), key: 'department', width: 140, render: (_, h) => h.department.name },
            {
              title: t('host.afterHoursReports'),
              key: 'reports',
              width: 150,
              align: 'right',
              render: (_, h) => t('host.reportsOf', { after: h.afterHoursReports, total: h.reports }),
            },
            {
              title: t('host.lastAfterHours'),
              dataIndex: 'lastSeenAfterHours',
              width: 200,
              render: (v: string | null) => formatCampusTime(v),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
