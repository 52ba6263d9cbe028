import { useState } from 'react';
import { Alert, Button, DatePicker, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { campusTime, formatCampusTime, fromCampusWallClock, toCampusWallClock } from '../time/campus-time.js';
import { errorText } from '../api/client.js';
import { SIGNAL_SOURCES, type SignalView } from '../api/types.js';
import { useUser } from '../auth/session.js';
import { DepartmentFilter, ListPage, paginationOf, rowTestId } from '../registry/list-page.js';
import { useListState, usePage } from '../registry/list-state.js';
import { HostTimelineDrawer } from '../network/host-timeline.js';
import { AttributionCell, IndicatorCell, SourceCell } from '../network/signal-cells.js';
import { codeLabel, EVIDENCE_COLOR, SEVERITY_COLOR } from '../network/labels.js';

const formatTime = (iso: string) => formatCampusTime(iso, 'YYYY-MM-DD HH:mm:ss');

/** The picked days as the API's half-open [since, until) instants. */
function rangeToQuery(range: [Dayjs | null, Dayjs | null] | null): { since?: string; until?: string } {
  const [from, to] = range ?? [null, null];
  return {
    // Days on the campus clock: the picked dates are its calendar days.
    since: from ? fromCampusWallClock(from.startOf('day')).toISOString() : undefined,
    until: to ? fromCampusWallClock(to.add(1, 'day').startOf('day')).toISOString() : undefined,
  };
}

/** Measure 1: every host seen reaching a mining indicator, one row per host + indicator + hour. */
export default function SignalsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const state = useListState(['source', 'departmentId', 'since', 'until']);
  const list = usePage<SignalView>('/signals', state);
  const [open, setOpen] = useState<SignalView | null>(null);
  const { since, until } = state.filters;
  const range: [Dayjs | null, Dayjs | null] | null = since || until ? [since ? toCampusWallClock(since) : null, until ? toCampusWallClock(until).subtract(1, 'day') : null] : null;
  const today = toCampusWallClock();

  return (
    <ListPage
      title={t('menu.signals')}
      testId="signals"
      q={state.q}
      onSearch={(q) => state.update({ q })}
      excel={<Typography.Text type="secondary">{t('signal.hint')}</Typography.Text>}
      filters={
        <>
          <Select
            allowClear
            placeholder={t('signal.source')}
            value={state.filters.source}
            onChange={(source) => state.update({ source })}
            options={SIGNAL_SOURCES.map((s) => ({ value: s, label: codeLabel('signal.sources', s) }))}
            style={{ width: 140 }}
            data-testid="filter-source"
          />
          <DepartmentFilter role={user.role} value={state.filters.departmentId} onChange={(departmentId) => state.update({ departmentId })} />
          <DatePicker.RangePicker
            value={range}
            allowEmpty={[true, true]}
            onChange={(r) => state.update(rangeToQuery(r))}
            presets={[
              { label: t('signal.today'), value: [today, today] },
              { label: t('signal.last7'), value: [today.subtract(6, 'day'), today] },
              { label: t('signal.last30'), value: [today.subtract(29, 'day'), today] },
            ]}
            data-testid="filter-range"
          />
        </>
      }
    >
      {list.isError && <Alert type="error" showIcon title={errorText(list.error)} style={{ marginBottom: 16 }} />}
      <Table<SignalView>
        rowKey="id"
        data-testid="signals-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('signals')}
        size="middle"
        scroll={{ x: 1080 }}
        pagination={paginationOf(t, state, list.data?.total, state.update)}
        columns={[
          {
            title: t('signal.host'),
            key: 'host',
            width: 130,
            fixed: 'left',
            render: (_, s) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(s)} data-testid="signal-host">
                {s.ip ?? `${codeLabel('signal.subjects', s.subject.kind)} ${s.subject.value}`}
              </Button>
            ),
          },
          { title: t('signal.attribution'), key: 'attribution', width: 220, render: (_, s) => <AttributionCell signal={s} /> },
          { title: t('signal.indicator'), key: 'indicator', width: 260, render: (_, s) => <IndicatorCell signal={s} /> },
          {
            title: t('signal.evidence'),
            key: 'evidence',
            width: 110,
            render: (_, s) => (
              <>
                <Tag color={EVIDENCE_COLOR[s.evidence]}>{codeLabel('signal.evidenceLevels', s.evidence)}</Tag>
                <Tag color={SEVERITY_COLOR[s.severity]}>{codeLabel('signal.severities', s.severity)}</Tag>
              </>
            ),
          },
          {
            title: t('signal.source'),
            dataIndex: 'source',
            width: 110,
            render: (_: string, s) => <SourceCell signal={s} />,
          },
          { title: t('signal.count'), dataIndex: 'count', width: 70, align: 'right' },
          {
            title: t('signal.seen'),
            key: 'seen',
            width: 175,
            render: (_, s) => (
              <div style={{ lineHeight: 1.5, whiteSpace: 'nowrap' }}>
                <div>{formatTime(s.firstSeen)}</div>
                <Typography.Text type="secondary">
                  → {campusTime(s.lastSeen).isSame(campusTime(s.firstSeen), 'day') ? formatCampusTime(s.lastSeen, 'HH:mm:ss') : formatTime(s.lastSeen)}
                </Typography.Text>
              </div>
            ),
          },
        ]}
      />
      <HostTimelineDrawer signal={open} onClose={() => setOpen(null)} />
    </ListPage>
  );
}
