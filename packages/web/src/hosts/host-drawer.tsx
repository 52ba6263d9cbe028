import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Empty, Popconfirm, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { LinkOutlined, StopOutlined } from '@ant-design/icons';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import { formatCampusTime, toChartTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { HostDetail, HostFinding, HostFindings, HostState, HostView } from '../api/types.js';
import { useUser, writesRegistry } from '../auth/session.js';
import { echarts } from '../charts/echarts.js';
import { useLanguage } from '../i18n/locale-provider.js';
import { codeLabel } from '../network/labels.js';
import { RemoteSelect } from '../registry/remote-select.js';
import { ANTIVIRUS_COLOR, antivirusState, SIGNATURE_MAX_AGE_DAYS, VERDICT_COLOR } from './labels.js';
import { HostLoadCharts } from './host-load-charts.js';
import { formatBytes, ProcessTable } from './process-table.js';
import { rowTestId } from '../registry/list-page.js';

const formatTime = (iso: string) => formatCampusTime(iso, 'YYYY-MM-DD HH:mm:ss');

function reportsOption(reports: HostFindings['reports'], label: string) {
  const points = [...reports].reverse().map((r) => [toChartTime(Date.parse(r.collectedAt)), r.findings]);
  return {
    animation: false,
    useUTC: true, // on the campus clock (see toChartTime)
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 28 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', minInterval: 1, name: label },
    series: [
      { name: label, type: 'line', step: 'end', symbolSize: 5, data: points, itemStyle: { color: '#cf1322' }, areaStyle: { color: 'rgba(207, 19, 34, 0.12)' } },
    ],
  };
}

/**
 * A host: who answers for it and where it stands, its CPU and GPU load over time, the processes it
 * runs (flagged ones first), its findings with the rules' reasons in the reader's language, and
 * what may be done to it.
 */
export function HostDrawer({ host, onClose }: { host: HostView | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer
      open={host !== null}
      onClose={onClose}
      size={1120}
      destroyOnHidden
      title={host ? t('host.detailTitle', { host: host.hostname }) : ''}
      data-testid="host-drawer"
    >
      {host && <HostDetail host={host} onClose={onClose} />}
    </Drawer>
  );
}

function HostDetail({ host, onClose }: { host: HostView; onClose: () => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const findings = useQuery({ queryKey: ['/agents/findings', host.id], queryFn: () => api<HostFindings>(`/agents/${host.id}/findings`) });
  const detail = useQuery({ queryKey: ['/agents/detail', host.id], queryFn: () => api<HostDetail>(`/agents/${host.id}`) });
  const option = useMemo(() => (findings.data?.reports.length ? reportsOption(findings.data.reports, t('host.findingsPerReport')) : null), [findings.data, t]);
  const s = host.state;
  const hasGpus = (s?.gpus.length ?? 0) > 0;
  return (
    <>
      <HostSummary host={host} />
      <HostActions host={host} onRevoked={onClose} />
      <HostLoadCharts hostId={host.id} hasGpus={hasGpus} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('host.processTable')}
      </Typography.Title>
      {detail.isPending ? (
        <Skeleton active />
      ) : detail.isError ? (
        <Alert type="error" showIcon title={errorText(detail.error)} />
      ) : (
        <ProcessTable processes={detail.data.processes} total={detail.data.state?.processes ?? null} gpuHost={hasGpus} />
      )}
      {findings.isPending ? (
        <Skeleton active />
      ) : findings.isError ? (
        <Alert type="error" showIcon title={errorText(findings.error)} />
      ) : (
        <>
          {option && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('host.findingsChart')}
              </Typography.Title>
              <div data-testid="host-findings-chart">
                <ReactEChartsCore echarts={echarts} notMerge option={option} style={{ height: 180 }} />
              </div>
            </>
          )}
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('host.findings')}
          </Typography.Title>
          <Table<HostFinding>
            rowKey="id"
            size="small"
            dataSource={findings.data.items}
            data-testid="host-findings"
            onRow={rowTestId('host-finding')}
            pagination={findings.data.items.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('host.noFindings')} /> }}
            columns={[
              { title: t('host.collectedAt'), dataIndex: 'collectedAt', width: 150, render: (v: string) => formatCampusTime(v, 'MM-DD HH:mm:ss') },
              {
                title: t('host.verdict'),
                key: 'verdict',
                width: 120,
                render: (_, f) => (
                  <Space size={2} orientation="vertical">
                    <Tag color={VERDICT_COLOR[f.verdict] ?? 'default'}>{codeLabel('host.verdicts', f.verdict)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {codeLabel('host.findingKinds', f.kind)} · {f.score}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('host.process'),
                key: 'name',
                render: (_, f) => (
                  <div style={{ lineHeight: 1.5 }}>
                    <Typography.Text strong>{f.name}</Typography.Text>
                    {f.detail?.pid !== undefined && <Typography.Text type="secondary"> · PID {f.detail.pid}</Typography.Text>}
                    {f.detail?.cmdline && (
                      <Typography.Paragraph
                        code
                        ellipsis={{ rows: 2, tooltip: f.detail.cmdline }}
                        style={{ margin: '2px 0', fontSize: 12, wordBreak: 'break-all' }}
                      >
                        {f.detail.cmdline}
                      </Typography.Paragraph>
                    )}
                    <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="finding-reasons">
                      {(f.detail?.reasons ?? []).map((r, i) => (
                        <li key={`${r.rule}-${i}`}>
                          <Typography.Text>{(language === 'zh-CN' ? r.zh : r.en) ?? r.en ?? r.zh ?? r.rule}</Typography.Text>{' '}
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {r.rule}
                            {r.weight !== undefined ? ` +${r.weight}` : ''}
                          </Typography.Text>
                        </li>
                      ))}
                    </ul>
                  </div>
                ),
              },
            ]}
          />
        </>
      )}
    </>
  );
}

/** A host's boards by model, with the range of their utilisation ("8 × A100 · 97–100%"). */
function gpuModels(gpus: HostState['gpus']) {
  const byName = new Map<string, typeof gpus>();
  for (const g of gpus) byName.set(g.name ?? '?', [...(byName.get(g.name ?? '?') ?? []), g]);
  return [...byName].map(([name, boards]) => {
    const util = boards.map((g) => g.utilization).filter((u): u is number => typeof u === 'number');
    const lo = Math.min(...util);
    const hi = Math.max(...util);
    return { name, boards, utilization: util.length ? (lo === hi ? `${lo}%` : `${lo}–${hi}%`) : '?' };
  });
}

/** Attribution (asset, department, room, responsible person), antivirus, last report and the host's load now. */
function HostSummary({ host }: { host: HostView }) {
  const { t } = useTranslation();
  const s = host.state;
  const l = s?.load;
  const av = antivirusState(s, SIGNATURE_MAX_AGE_DAYS);
  const memTotal = l?.mem_total_bytes;
  const memUsed = memTotal !== undefined && l?.mem_available_bytes !== undefined ? memTotal - l.mem_available_bytes : null;
  return (
    <Descriptions size="small" bordered column={3} style={{ marginBottom: 16 }} data-testid="host-summary">
      <Descriptions.Item label={t('host.asset')}>
        {host.asset ? (
          <Typography.Text strong>{host.asset.hostname ?? `#${host.asset.id}`}</Typography.Text>
        ) : (
          <Tag color="orange">{t('host.unlinked')}</Tag>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('host.department')}>{host.department.name}</Descriptions.Item>
      <Descriptions.Item label={t('host.room')}>{host.room ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('host.responsible')}>{host.responsiblePerson ?? <Tag color="orange">{t('host.noResponsible')}</Tag>}</Descriptions.Item>
      <Descriptions.Item label={t('host.antivirus')}>
        <Tag color={ANTIVIRUS_COLOR[av.state]}>
          {codeLabel('host.avStates', av.state)}
          {av.state === 'stale_signatures' && av.ageDays !== null ? ` ${t('host.days', { n: av.ageDays })}` : ''}
        </Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('host.lastSeen')}>{host.lastSeenAt ? formatTime(host.lastSeenAt) : t('host.never')}</Descriptions.Item>
      <Descriptions.Item label={t('host.platform')}>
        {host.platform}
        {host.version ? ` · ${t('host.agentVersion', { version: host.version })}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('host.ips')}>{host.ips.join(', ') || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('host.enrolledAt')}>{formatTime(host.enrolledAt)}</Descriptions.Item>
      <Descriptions.Item label={t('host.load')}>
        {l?.cpu_percent === null || l?.cpu_percent === undefined ? '—' : `CPU ${Math.round(l.cpu_percent)}%`}
        {l?.loadavg?.[0] !== undefined ? ` · ${t('host.loadavg', { load: l.loadavg[0].toFixed(2), cores: l.cores ?? '?' })}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('host.memory')}>{memUsed !== null && memTotal ? `${formatBytes(memUsed)} / ${formatBytes(memTotal)}` : '—'}</Descriptions.Item>
      <Descriptions.Item label={t('host.gpus')}>
        {s?.gpus.length
          ? gpuModels(s.gpus).map((m) => (
              <Tooltip key={m.name} title={m.boards.map((g) => `#${g.index ?? '?'} ${g.utilization ?? '?'}%`).join(' · ')}>
                <div style={{ whiteSpace: 'nowrap' }}>
                  {m.boards.length} × {m.name} · {m.utilization}
                </div>
              </Tooltip>
            ))
          : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('host.persistence')}>{s?.persistence ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('host.hidden')}>{s ? <Typography.Text type={s.hidden ? 'danger' : undefined}>{s.hidden}</Typography.Text> : '—'}</Descriptions.Item>
      <Descriptions.Item label={t('host.softwareMiners')}>
        {s ? <Typography.Text type={s.softwareMiners ? 'danger' : undefined}>{s.softwareMiners}</Typography.Text> : '—'}
      </Descriptions.Item>
      {s?.slurmJobs !== null && s?.slurmJobs !== undefined && <Descriptions.Item label={t('host.slurmJobs')}>{s.slurmJobs}</Descriptions.Item>}
    </Descriptions>
  );
}

/** Link to a registered asset (when MAC and hostname did not match at enrollment) and revoke the agent's credential. */
function HostActions({ host, onRevoked }: { host: HostView; onRevoked: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const queryClient = useQueryClient();
  const [assetId, setAssetId] = useState<number | null>(host.asset?.id ?? null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['/agents'] });
  };
  const link = useMutation({
    mutationFn: (id: number) => api(`/agents/${host.id}/link`, { method: 'POST', body: { assetId: id } }),
    onSuccess: () => {
      void message.success(t('host.linked'));
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const revoke = useMutation({
    mutationFn: () => api(`/agents/${host.id}/revoke`, { method: 'POST' }),
    onSuccess: () => {
      void message.success(t('host.revoked'));
      refresh();
      onRevoked();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const canLink = writesRegistry(user.role);
  const canRevoke = host.status === 'active' && (user.role === 'admin' || (user.role === 'dept_head' && user.departmentId === host.department.id));
  if (!canLink && !canRevoke) return null;
  return (
    <Space wrap style={{ marginBottom: 16 }} data-testid="host-actions">
      {canLink && (
        <>
          <Typography.Text>{t('host.asset')}</Typography.Text>
          <RemoteSelect
            source="assets"
            departmentId={host.department.id}
            value={assetId ?? undefined}
            initialLabel={host.asset?.hostname ?? (host.asset ? `#${host.asset.id}` : null)}
            onChange={(v) => setAssetId(v ?? null)}
            placeholder={t('host.pickAsset')}
            style={{ width: 300 }}
            data-testid="host-asset-select"
          />
          <Button
            icon={<LinkOutlined />}
            disabled={assetId === null || assetId === host.asset?.id}
            loading={link.isPending}
            onClick={() => assetId && link.mutate(assetId)}
            data-testid="host-link"
          >
            {t('host.link')}
          </Button>
        </>
      )}
      {canRevoke && (
        <Popconfirm title={t('host.revokeConfirm', { host: host.hostname })} onConfirm={() => revoke.mutate()} okButtonProps={{ danger: true }}>
          <Button danger icon={<StopOutlined />} loading={revoke.isPending} data-testid="host-revoke">
            {t('host.revoke')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );
}
