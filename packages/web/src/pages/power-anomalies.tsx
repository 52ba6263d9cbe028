import { useState } from 'react';
import { Alert, Button, Select, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatCampusTime } from '../time/campus-time.js';
import { errorText } from '../api/client.js';
import { ANOMALY_STATUSES, type AnomalyRow } from '../api/types.js';
import { codeLabel } from '../network/labels.js';
import { ListPage, paginationOf, rowTestId } from '../registry/list-page.js';
import { useListState, usePage } from '../registry/list-state.js';
import { AnomalyDrawer } from '../power/anomaly-drawer.js';
import { formatKw, KIND_COLOR, s19Count, STATUS_COLOR } from '../power/labels.js';

const formatDay = (iso: string) => formatCampusTime(iso, 'YYYY-MM-DD');

/** Measure 2: mining-like loads the detector found, strongest first, each with its on-site checks. */
export default function PowerAnomaliesPage() {
  const { t } = useTranslation();
  const state = useListState(['status', 'meterId']);
  const list = usePage<AnomalyRow>('/power/anomalies', state);
  const [openId, setOpenId] = useState<number | null>(null);
  // The open row is read from the list so a recorded check shows its new status at once.
  const open = openId === null ? null : (list.data?.items.find((a) => a.id === openId) ?? null);

  return (
    <ListPage
      title={t('menu.powerAnomalies')}
      testId="anomalies"
      q=""
      excel={<Typography.Text type="secondary">{t('power.anomaliesHint')}</Typography.Text>}
      filters={
        <Select
          allowClear
          placeholder={t('power.status')}
          value={state.filters.status}
          onChange={(status) => state.update({ status })}
          options={ANOMALY_STATUSES.map((s) => ({ value: s, label: codeLabel('power.statuses', s) }))}
          style={{ width: 160 }}
          data-testid="filter-status"
        />
      }
    >
      {list.isError && <Alert type="error" showIcon title={errorText(list.error)} style={{ marginBottom: 16 }} />}
      <Table<AnomalyRow>
        rowKey="id"
        size="middle"
        data-testid="anomalies-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('anomalies')}
        scroll={{ x: 1180 }}
        pagination={paginationOf(t, state, list.data?.total, state.update)}
        columns={[
          {
            title: t('power.meter'),
            key: 'meter',
            width: 190,
            fixed: 'left',
            render: (_, a) => (
              <div style={{ lineHeight: 1.5 }}>
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpenId(a.id)} data-testid="anomaly-open">
                  {a.meter.code}
                </Button>
                <div>
                  <Typography.Text type="secondary">{a.meter.name}</Typography.Text>
                </div>
              </div>
            ),
          },
          { title: t('room.building'), key: 'building', width: 120, render: (_, a) => a.meter.building ?? '—' },
          { title: t('common.department'), dataIndex: 'departmentName', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
          {
            title: t('power.kindOfAnomaly'),
            dataIndex: 'kind',
            width: 170,
            render: (v: string) => <Tag color={KIND_COLOR[v] ?? 'default'}>{codeLabel('power.kinds', v)}</Tag>,
          },
          {
            title: t('power.period'),
            key: 'period',
            width: 200,
            render: (_, a) => (
              <span style={{ whiteSpace: 'nowrap' }}>
                {formatDay(a.start)} → {a.ongoing ? <Tag color="red">{t('power.ongoing')}</Tag> : formatDay(a.end)}
              </span>
            ),
          },
          {
            title: t('power.excess'),
            dataIndex: 'excessKw',
            width: 170,
            align: 'right',
            render: (v: number) => (
              <div style={{ lineHeight: 1.5 }}>
                <Typography.Text strong>{formatKw(v)} kW</Typography.Text>
                <div>
                  <Tooltip title={t('power.s19Hint')}>
                    <Typography.Text type="secondary">{t('power.s19', { n: s19Count(v) })}</Typography.Text>
                  </Tooltip>
                </div>
              </div>
            ),
          },
          {
            title: t('power.score'),
            dataIndex: 'score',
            width: 90,
            align: 'right',
            render: (v: number) => <Typography.Text type={v >= 0.8 ? 'danger' : undefined}>{v.toFixed(2)}</Typography.Text>,
          },
          {
            title: t('power.status'),
            dataIndex: 'status',
            width: 110,
            fixed: 'right',
            render: (v: string) => <Tag color={STATUS_COLOR[v] ?? 'default'}>{codeLabel('power.statuses', v)}</Tag>,
          },
        ]}
      />
      <AnomalyDrawer anomaly={open} onClose={() => setOpenId(null)} />
    </ListPage>
  );
}
