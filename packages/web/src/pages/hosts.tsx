import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Space, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatCampusTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { HostView } from '../api/types.js';
import { useUser } from '../auth/session.js';
import { codeLabel } from '../network/labels.js';
import { EnrollmentTokens } from '../hosts/enrollment-tokens.js';
import { HostDrawer } from '../hosts/host-drawer.js';
import { AGENT_INTERVAL_MS, ANTIVIRUS_COLOR, antivirusState, SIGNATURE_MAX_AGE_DAYS } from '../hosts/labels.js';
import { rowTestId } from '../registry/list-page.js';

function LastSeen({ at, now }: { at: string | null; now: number }) {
  const { t } = useTranslation();
  if (!at) return <Tag>{t('host.never')}</Tag>;
  const overdue = now - Date.parse(at) > 2 * AGENT_INTERVAL_MS;
  return (
    <Tooltip title={formatCampusTime(at, 'YYYY-MM-DD HH:mm:ss')}>
      <Typography.Text type={overdue ? 'danger' : 'success'} data-testid={overdue ? 'host-overdue' : 'host-fresh'} style={{ whiteSpace: 'nowrap' }}>
        {formatCampusTime(at, 'MM-DD HH:mm')}
      </Typography.Text>
    </Tooltip>
  );
}

function HostList() {
  const { t } = useTranslation();
  const hosts = useQuery({ queryKey: ['/agents'], queryFn: () => api<{ items: HostView[] }>('/agents') });
  const [q, setQ] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);
  const now = Date.now();
  // The list is not paginated on the server (a department has hundreds of hosts, not millions): filtered here.
  const rows = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const all = hosts.data?.items ?? [];
    if (!needle) return all;
    return all.filter((h) =>
      [h.hostname, h.asset?.hostname, h.room, h.responsiblePerson, h.department.name, ...h.ips].some((v) => v?.toLowerCase().includes(needle)),
    );
  }, [hosts.data, q]);
  const open = hosts.data?.items.find((h) => h.id === openId) ?? null;

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('host.searchPlaceholder')} onSearch={setQ} style={{ width: 300 }} data-testid="hosts-search" />
      </Space>
      {hosts.isError && <Alert type="error" showIcon title={errorText(hosts.error)} style={{ marginBottom: 16 }} />}
      <Table<HostView>
        rowKey="id"
        size="middle"
        data-testid="hosts-table"
        loading={hosts.isFetching}
        dataSource={rows}
        onRow={rowTestId('hosts')}
        scroll={{ x: 980 }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { total: n }) }}
        columns={[
          {
            title: t('host.hostname'),
            key: 'hostname',
            width: 170,
            fixed: 'left',
            render: (_, h) => (
              <div style={{ lineHeight: 1.5 }}>
                <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpenId(h.id)} data-testid="host-open">
                  {h.hostname}
                </Button>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {h.platform}
                    {h.version ? ` · v${h.version}` : ''}
                  </Typography.Text>
                  {h.status !== 'active' && (
                    <Tag style={{ marginLeft: 6 }} data-testid="host-revoked">
                      {codeLabel('host.statuses', h.status)}
                    </Tag>
                  )}
                </div>
              </div>
            ),
          },
          {
            title: t('signal.attribution'),
            key: 'attribution',
            width: 230,
            render: (_, h) => (
              <div style={{ lineHeight: 1.5 }}>
                {h.asset ? (
                  <Typography.Text strong>{h.asset.hostname ?? `#${h.asset.id}`}</Typography.Text>
                ) : (
                  <Tag color="orange" data-testid="host-unlinked">
                    {t('host.unlinked')}
                  </Tag>
                )}
                <Tag style={{ marginLeft: 6 }}>{h.department.name}</Tag>
                <div>
                  <Typography.Text type="secondary">{[h.room, h.responsiblePerson].filter(Boolean).join(' · ') || t('signal.noRoomOrPerson')}</Typography.Text>
                </div>
              </div>
            ),
          },
          { title: t('host.lastSeen'), dataIndex: 'lastSeenAt', width: 110, render: (v: string | null) => <LastSeen at={v} now={now} /> },
          {
            title: t('host.load'),
            key: 'load',
            width: 120,
            render: (_, h) => {
              const l = h.state?.load;
              if (!l) return '—';
              const cpu = l.cpu_percent;
              return (
                <div style={{ lineHeight: 1.5 }}>
                  <Typography.Text type={cpu !== null && cpu !== undefined && cpu >= 90 ? 'danger' : undefined}>
                    {cpu === null || cpu === undefined ? '—' : `CPU ${Math.round(cpu)}%`}
                  </Typography.Text>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('host.loadavg', { load: l.loadavg?.[0]?.toFixed(2) ?? '—', cores: l.cores ?? '?' })}
                    </Typography.Text>
                  </div>
                </div>
              );
            },
          },
          {
            title: t('host.gpus'),
            key: 'gpus',
            width: 60,
            align: 'right',
            render: (_, h) => {
              const gpus = h.state?.gpus ?? [];
              return gpus.length ? (
                <Tooltip title={gpus.map((g) => `#${g.index ?? '?'} ${g.name ?? ''} ${g.utilization ?? '?'}%`).join('\n')}>{gpus.length}</Tooltip>
              ) : (
                0
              );
            },
          },
          {
            title: t('host.antivirus'),
            key: 'antivirus',
            width: 140,
            render: (_, h) => {
              const av = antivirusState(h.state, SIGNATURE_MAX_AGE_DAYS);
              return (
                <Tag color={ANTIVIRUS_COLOR[av.state]} data-testid="host-av">
                  {codeLabel('host.avStates', av.state)}
                  {av.state === 'stale_signatures' && av.ageDays !== null ? ` ${t('host.days', { n: av.ageDays })}` : ''}
                </Tag>
              );
            },
          },
          {
            title: t('host.findings'),
            key: 'findings',
            width: 150,
            render: (_, h) => {
              const f = h.state?.findings;
              if (!f) return '—';
              if (!f.miner && !f.suspicious) return <Tag color="green">{t('host.clean')}</Tag>;
              return (
                <Space size={2} wrap>
                  {f.miner > 0 && (
                    <Tag color="red" data-testid="host-miner">
                      {t('host.minerCount', { n: f.miner })}
                    </Tag>
                  )}
                  {f.suspicious > 0 && <Tag color="orange">{t('host.suspiciousCount', { n: f.suspicious })}</Tag>}
                </Space>
              );
            },
          },
        ]}
      />
      <HostDrawer host={open} onClose={() => setOpenId(null)} />
    </>
  );
}

/** Measures 4–8: the hosts agents watch — findings, load, antivirus — and, for enrollers, the enrollment tokens. */
export default function HostsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const canEnroll = user.role === 'admin' || user.role === 'dept_head';
  const tab = canEnroll && params.get('tab') === 'enrollment' ? 'enrollment' : 'hosts';
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.hosts')}
        </Typography.Title>
      }
      data-testid="hosts-page"
    >
      {canEnroll ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'hosts' ? {} : { tab: key })}
          items={[
            { key: 'hosts', label: t('host.tabHosts'), children: <HostList /> },
            { key: 'enrollment', label: t('host.tabEnrollment'), children: <EnrollmentTokens /> },
          ]}
        />
      ) : (
        <HostList />
      )}
    </Card>
  );
}
