import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { ExperimentOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatCampusTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { AnalyzeResult, MeterView, PowerSensitivity } from '../api/types.js';
import { useUser } from '../auth/session.js';
import { codeLabel } from '../network/labels.js';
import { DepartmentFilter, ListPage, paginationOf, RowActions, rowTestId } from '../registry/list-page.js';
import { useListState, usePage } from '../registry/list-state.js';
import { MeterLoadChart } from '../power/load-chart.js';
import { MeterForm } from '../power/meter-form.js';
import { POWER_KEYS } from '../power/power-keys.js';
import { ReadingImportModal } from '../power/reading-import.js';
import { SensitivitySelect } from '../power/sensitivity-select.js';

/** How far back the analysis looks: long enough for the detector's four-week baselines and a season. */
const ANALYZE_DAYS = 180;

/** Measure 2: the meters logistics reads, their readings, and the analysis that finds mining loads. */
export default function MetersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const state = useListState(['building', 'departmentId']);
  const list = usePage<MeterView>('/power/meters', state);
  const canWrite = user.role === 'admin' || user.role === 'logistics';
  const [editing, setEditing] = useState<MeterView | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const [chart, setChart] = useState<MeterView | null>(null);
  // Unset (left out of the JSON body): the campus's level, the server's QINGLING_POWER_SENSITIVITY, applies.
  const [sensitivity, setSensitivity] = useState<PowerSensitivity | undefined>();
  const analyze = useMutation({
    mutationFn: () => api<AnalyzeResult>('/power/analyze', { method: 'POST', body: { days: ANALYZE_DAYS, sensitivity } }),
    onSuccess: () => {
      for (const key of POWER_KEYS) void queryClient.invalidateQueries({ queryKey: [key] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`/power/meters/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void message.success(t('common.deleted'));
      for (const key of POWER_KEYS) void queryClient.invalidateQueries({ queryKey: [key] });
    },
    onError: (e) => void message.error(errorText(e)),
  });

  return (
    <ListPage
      title={t('menu.meters')}
      testId="meters"
      q={state.q}
      onSearch={(q) => state.update({ q })}
      onCreate={canWrite ? () => setEditing('new') : undefined}
      excel={
        canWrite && (
          <Space wrap>
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="reading-import-open">
              {t('power.import')}
            </Button>
            <SensitivitySelect value={sensitivity} onChange={setSensitivity} />
            <Tooltip title={t('power.analyzeHint', { days: ANALYZE_DAYS })}>
              <Button
                type="primary"
                ghost
                icon={<ExperimentOutlined />}
                loading={analyze.isPending}
                onClick={() => analyze.mutate()}
                data-testid="power-analyze"
              >
                {analyze.isPending ? t('power.analyzing') : t('power.analyze')}
              </Button>
            </Tooltip>
          </Space>
        )
      }
      filters={
        <>
          <Input.Search
            key={state.filters.building ?? ''}
            allowClear
            defaultValue={state.filters.building}
            placeholder={t('room.building')}
            onSearch={(building) => state.update({ building })}
            style={{ width: 180 }}
            data-testid="filter-building"
          />
          <DepartmentFilter role={user.role} value={state.filters.departmentId} onChange={(departmentId) => state.update({ departmentId })} />
        </>
      }
    >
      {analyze.isError && <Alert type="error" showIcon closable title={errorText(analyze.error)} style={{ marginBottom: 16 }} />}
      {analyze.data && (
        <Alert
          type={analyze.data.anomalies ? 'warning' : 'success'}
          showIcon
          closable
          onClose={() => analyze.reset()}
          style={{ marginBottom: 16 }}
          data-testid="analyze-result"
          title={t('power.analyzeDone', { ...analyze.data, level: t(`power.sensitivities.${analyze.data.sensitivity}`) })}
          action={
            analyze.data.anomalies > 0 && (
              <Button size="small" onClick={() => navigate('/power-anomalies')} data-testid="analyze-view-anomalies">
                {t('power.viewAnomalies')}
              </Button>
            )
          }
        />
      )}
      {list.isError && <Alert type="error" showIcon title={errorText(list.error)} style={{ marginBottom: 16 }} />}
      <Table<MeterView>
        rowKey="id"
        size="middle"
        data-testid="meters-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('meters')}
        scroll={{ x: 1200 }}
        pagination={paginationOf(t, state, list.data?.total, state.update)}
        columns={[
          {
            title: t('power.code'),
            dataIndex: 'code',
            width: 130,
            fixed: 'left',
            render: (v: string, m) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setChart(m)} data-testid="meter-open">
                {v}
              </Button>
            ),
          },
          { title: t('power.name'), dataIndex: 'name', width: 160, ellipsis: true },
          { title: t('power.kind'), dataIndex: 'kind', width: 90, render: (v: string) => <Tag>{codeLabel('power.meterKinds', v)}</Tag> },
          {
            title: t('power.where'),
            key: 'where',
            width: 170,
            render: (_, m) => (
              <div style={{ lineHeight: 1.5 }}>
                <div>{[m.building, m.floor && t('power.floorN', { floor: m.floor })].filter(Boolean).join(' ') || '—'}</div>
                {m.room && <Typography.Text type="secondary">{m.room}</Typography.Text>}
              </div>
            ),
          },
          { title: t('common.department'), dataIndex: 'departmentName', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('power.readings'), dataIndex: 'readings', width: 100, align: 'right', render: (v: number) => v.toLocaleString() },
          {
            title: t('power.readingRange'),
            key: 'range',
            width: 180,
            render: (_, m) =>
              m.firstReading ? (
                <div style={{ lineHeight: 1.5, whiteSpace: 'nowrap' }}>
                  <div>{formatCampusTime(m.firstReading)}</div>
                  <Typography.Text type="secondary">→ {formatCampusTime(m.lastReading)}</Typography.Text>
                </div>
              ) : (
                '—'
              ),
          },
          {
            title: t('power.annotations'),
            dataIndex: 'annotations',
            width: 100,
            align: 'right',
            render: (v: MeterView['annotations']) =>
              v.length ? (
                <Tooltip title={v.map((a) => `${formatCampusTime(a.from, 'YYYY-MM-DD')} +${a.kw.toFixed(1)} kW ${a.note ?? ''}`).join('\n')}>
                  <Tag color="green">{v.length}</Tag>
                </Tooltip>
              ) : (
                0
              ),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  fixed: 'right' as const,
                  render: (_: unknown, m: MeterView) => <RowActions name={m.code} onEdit={() => setEditing(m)} onDelete={() => remove.mutate(m.id)} />,
                },
              ]
            : []),
        ]}
      />
      <Drawer
        open={editing !== null}
        title={editing && editing !== 'new' ? t('power.editTitle') : t('power.createTitle')}
        size={520}
        onClose={() => setEditing(null)}
        destroyOnHidden
      >
        {editing && <MeterForm current={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Drawer>
      <Drawer
        open={chart !== null}
        title={chart ? t('power.loadTitle', { code: chart.code, name: chart.name }) : ''}
        size={960}
        onClose={() => setChart(null)}
        destroyOnHidden
        data-testid="meter-load-drawer"
      >
        {chart && <MeterLoadChart meterId={chart.id} />}
      </Drawer>
      <ReadingImportModal open={importing} onClose={() => setImporting(false)} />
    </ListPage>
  );
}
