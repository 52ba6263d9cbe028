import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client.js';
import type { AuditEntry, AuditVerification } from '../api/types.js';
import { useUser } from '../auth/session.js';
import { useListState, usePage } from '../registry/list-state.js';
import { paginationOf, rowTestId } from '../registry/list-page.js';
import { formatCampusTime } from '../time/campus-time.js';

const ENTITIES = ['department', 'person', 'room', 'asset', 'user', 'ip_binding'];

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', maxWidth: 420 }}>{JSON.stringify(value, null, 2)}</pre>;
}

/** The hash-chained change log, newest first; rows expand to show before and after. */
export default function AuditPage() {
  const { t } = useTranslation();
  const state = useListState(['entity', 'actor']);
  const list = usePage<AuditEntry>('/audit', state);
  const user = useUser();
  const verify = useMutation({ mutationFn: () => api<AuditVerification>('/audit/verify') });
  const v = verify.data;

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.audit')}
        </Typography.Title>
      }
      data-testid="audit-page"
      extra={
        (user.role === 'admin' || user.role === 'auditor') && (
          <Button icon={<SafetyCertificateOutlined />} loading={verify.isPending} onClick={() => verify.mutate()} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        )
      }
    >
      {verify.isError && <Alert type="error" showIcon title={errorText(verify.error)} style={{ marginBottom: 16 }} />}
      {v && (
        <Alert
          style={{ marginBottom: 16 }}
          showIcon
          type={v.break || v.headMismatch ? 'error' : 'success'}
          data-testid="audit-verify-result"
          title={
            v.break
              ? t('audit.verifyBroken', { id: v.break.id, reason: v.break.reason })
              : v.headMismatch
                ? t('audit.verifyHead', { entries: v.entries })
                : t('audit.verifyOk', { entries: v.entries })
          }
        />
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('audit.filterEntity')}
          value={state.filters.entity}
          onChange={(entity) => state.update({ entity })}
          options={ENTITIES.map((e) => ({ value: e, label: e }))}
          style={{ width: 180 }}
        />
        <Input.Search
          key={state.filters.actor ?? ''}
          allowClear
          placeholder={t('audit.filterActor')}
          defaultValue={state.filters.actor}
          onSearch={(actor) => state.update({ actor })}
          style={{ width: 200 }}
        />
      </Space>
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        data-testid="audit-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('audit')}
        pagination={paginationOf(t, state, list.data?.total, state.update)}
        expandable={{
          expandedRowRender: (e) => (
            <Space align="start" size="large">
              <div>
                <Typography.Text strong>{t('audit.before')}</Typography.Text>
                <Json value={e.before} />
              </div>
              <div>
                <Typography.Text strong>{t('audit.after')}</Typography.Text>
                <Json value={e.after} />
              </div>
            </Space>
          ),
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 180, render: (v: string) => formatCampusTime(v, 'YYYY-MM-DD HH:mm:ss') },
          { title: t('audit.actor'), dataIndex: 'actor' },
          { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Tag>{v}</Tag> },
          { title: t('audit.entity'), dataIndex: 'entity' },
          { title: t('audit.entityId'), dataIndex: 'entityId', render: (v: unknown) => (v == null ? '—' : String(v)) },
          {
            title: t('audit.hash'),
            dataIndex: 'hash',
            render: (v: string) => (
              <Typography.Text code copyable={{ text: v }}>
                {v.slice(0, 12)}
              </Typography.Text>
            ),
          },
        ]}
      />
    </Card>
  );
}
