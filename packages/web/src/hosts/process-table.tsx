import { Empty, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { formatCampusTime } from '../time/campus-time.js';
import type { HostDetail, ProcessRow } from '../api/types.js';
import { codeLabel } from '../network/labels.js';
import { VERDICT_COLOR } from './labels.js';

/** Flagged rows stand out across every cell (a sorted column paints its cells, so the row's own background would not show there). */
const ROW_BACKGROUND: Record<string, string | undefined> = { miner: '#fff1f0', suspicious: '#fff7e6' };

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${Math.round(n / 1024 ** 2)} MB`;
  return `${Math.round(n / 1024)} KB`;
}

/**
 * The newest process table the host's agent sent: its busiest processes and every flagged or GPU
 * one, flagged first as sent; sortable by CPU and memory. A GPU host always shows the GPU memory
 * column, so an idle daytime table reads "no process on the boards" rather than hiding the question.
 */
export function ProcessTable({ processes, total, gpuHost }: { processes: HostDetail['processes']; total: number | null; gpuHost: boolean }) {
  const { t } = useTranslation();
  if (!processes) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('host.noProcessTable')} data-testid="host-processes-empty" />;
  const rows = processes.rows;
  const gpu = gpuHost || rows.some((r) => r.gpu_mem_mib !== undefined);
  const columns: ColumnsType<ProcessRow> = [
    {
      title: t('host.verdict'),
      dataIndex: 'verdict',
      width: 76,
      render: (v: string) => (
        <Tag color={VERDICT_COLOR[v] ?? 'default'} data-testid="process-verdict">
          {codeLabel('host.verdicts', v)}
        </Tag>
      ),
    },
    { title: 'PID', dataIndex: 'pid', width: 76, render: (pid: number, r) => <Tooltip title={`PPID ${r.ppid}`}>{pid}</Tooltip> },
    {
      title: t('host.processName'),
      key: 'name',
      width: 170,
      render: (_, r) => (
        <div style={{ lineHeight: 1.4 }}>
          <Typography.Text strong>{r.name}</Typography.Text>
          {r.exe && (
            <Typography.Text type="secondary" ellipsis={{ tooltip: r.exe }} style={{ display: 'block', fontSize: 12, maxWidth: 160 }}>
              {r.exe}
            </Typography.Text>
          )}
        </div>
      ),
    },
    { title: t('host.user'), dataIndex: 'user', width: 90, ellipsis: true },
    {
      title: 'CPU %',
      dataIndex: 'cpu',
      key: 'cpu',
      width: 84,
      align: 'right',
      sorter: (a, b) => (a.cpu ?? -1) - (b.cpu ?? -1),
      sortDirections: ['descend', 'ascend'],
      render: (v: number | null) => (
        <Typography.Text type={v !== null && v >= 90 ? 'danger' : undefined} data-testid="process-cpu">
          {v === null ? '—' : v.toFixed(1)}
        </Typography.Text>
      ),
    },
    {
      title: t('host.memory'),
      key: 'mem',
      width: 110,
      align: 'right',
      sorter: (a, b) => a.rss_bytes - b.rss_bytes,
      sortDirections: ['descend', 'ascend'],
      render: (_, r) => (
        <Tooltip title={`${r.mem_percent.toFixed(2)} %`}>
          <span style={{ whiteSpace: 'nowrap' }} data-testid="process-mem">
            {formatBytes(r.rss_bytes)}
          </span>
        </Tooltip>
      ),
    },
    ...(gpu
      ? [
          {
            title: t('host.gpuMem'),
            key: 'gpu',
            width: 96,
            align: 'right' as const,
            sorter: (a: ProcessRow, b: ProcessRow) => (a.gpu_mem_mib ?? -1) - (b.gpu_mem_mib ?? -1),
            render: (_: unknown, r: ProcessRow) => (r.gpu_mem_mib === undefined ? '—' : `${r.gpu_mem_mib} MiB`),
          },
        ]
      : []),
    { title: t('host.started'), dataIndex: 'started', width: 104, render: (v: string | null) => formatCampusTime(v, 'MM-DD HH:mm') },
    {
      title: t('host.cmdline'),
      dataIndex: 'cmdline',
      render: (v: string) => (
        <Typography.Text code ellipsis={{ tooltip: v }} style={{ fontSize: 12, maxWidth: 320 }}>
          {v || '—'}
        </Typography.Text>
      ),
    },
  ];
  return (
    <>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8, fontSize: 12 }} data-testid="host-processes-hint">
        {t('host.processTableHint', { at: formatCampusTime(processes.collectedAt, 'YYYY-MM-DD HH:mm:ss') })}
        {total !== null ? ` ${t('host.processCount', { shown: rows.length, total })}` : ''}
      </Typography.Text>
      <Table<ProcessRow>
        rowKey="pid"
        size="small"
        data-testid="host-processes"
        dataSource={rows}
        columns={columns.map((c) => ({ ...c, onCell: (r: ProcessRow) => ({ style: { background: ROW_BACKGROUND[r.verdict] } }) }))}
        onRow={(r) => ({ 'data-testid': 'process-row', 'data-verdict': r.verdict }) as React.HTMLAttributes<HTMLElement>}
        pagination={rows.length > 15 ? { pageSize: 15, showSizeChanger: false, size: 'small' } : false}
        scroll={{ x: 980 }}
      />
    </>
  );
}
