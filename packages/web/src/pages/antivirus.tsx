import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Progress, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client.js';
import type { AntivirusCoverage } from '../api/types.js';
import { codeLabel } from '../network/labels.js';
import { ANTIVIRUS_COLOR } from '../hosts/labels.js';
import { rowTestId } from '../registry/list-page.js';

type Department = AntivirusCoverage['departments'][number];
type Lacking = AntivirusCoverage['lacking'][number];

function Share({ part, whole, testId }: { part: number; whole: number; testId: string }) {
  const pct = whole ? Math.round((100 * part) / whole) : 0;
  return (
    <Tooltip title={`${part} / ${whole}`}>
      <Progress
        percent={pct}
        size="small"
        status={pct === 100 ? 'success' : pct < 80 ? 'exception' : 'normal'}
        format={() => `${part}/${whole}`}
        style={{ minWidth: 140, margin: 0 }}
        data-testid={testId}
      />
    </Tooltip>
  );
}

/** Measure 6: antivirus installed and current on every reporting host, per department; the hosts lacking it. */
export default function AntivirusPage() {
  const { t } = useTranslation();
  const coverage = useQuery({ queryKey: ['/agents/antivirus'], queryFn: () => api<AntivirusCoverage>('/agents/antivirus') });
  const data = coverage.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="antivirus-page">
      <Card
        title={
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('menu.antivirus')}
          </Typography.Title>
        }
      >
        <Typography.Paragraph type="secondary">{t('host.avHint', { days: data?.maxSignatureAgeDays ?? 7 })}</Typography.Paragraph>
        {coverage.isError && <Alert type="error" showIcon title={errorText(coverage.error)} style={{ marginBottom: 16 }} />}
        <Table<Department>
          rowKey="departmentId"
          size="middle"
          loading={coverage.isFetching}
          dataSource={data?.departments}
          data-testid="av-departments"
          onRow={rowTestId('av-department')}
          pagination={false}
          columns={[
            { title: t('common.department'), dataIndex: 'departmentName', width: 180 },
            { title: t('host.reportingHosts'), dataIndex: 'hosts', width: 110, align: 'right' },
            { title: t('host.withAntivirus'), key: 'with', render: (_, d) => <Share part={d.withAntivirus} whole={d.hosts} testId="av-with" /> },
            { title: t('host.currentSignatures'), key: 'current', render: (_, d) => <Share part={d.current} whole={d.hosts} testId="av-current" /> },
          ]}
        />
      </Card>
      <Card title={t('host.lacking', { n: data?.lacking.length ?? 0 })}>
        <Table<Lacking>
          rowKey="agentId"
          size="middle"
          loading={coverage.isFetching}
          dataSource={data?.lacking}
          data-testid="av-lacking"
          onRow={rowTestId('av-lacking')}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: t('host.hostname'), dataIndex: 'hostname', width: 200, render: (v: string) => <Typography.Text strong>{v}</Typography.Text> },
            { title: t('common.department'), dataIndex: 'department', width: 160 },
            {
              title: t('asset.responsible'),
              dataIndex: 'responsiblePerson',
              width: 140,
              render: (v: string | null) => v ?? <Tag color="red">{t('asset.missingResponsible')}</Tag>,
            },
            {
              title: t('host.problem'),
              dataIndex: 'problem',
              width: 180,
              render: (v: Lacking['problem']) => <Tag color={ANTIVIRUS_COLOR[v]}>{codeLabel('host.avStates', v)}</Tag>,
            },
            {
              title: t('host.signatureAge'),
              dataIndex: 'signatureAgeDays',
              width: 140,
              align: 'right',
              render: (v: number | null) => (v === null ? '—' : t('host.days', { n: v })),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
