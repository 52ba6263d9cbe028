import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { KeyOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatCampusTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { ApiTokenView, TokenPurpose } from '../api/types.js';
import { codeLabel } from './labels.js';
import { rowTestId } from '../registry/list-page.js';

const KEY = ['/tokens'];
const PURPOSES: readonly TokenPurpose[] = ['intel_export', 'ingest'];

/**
 * Bearer tokens for machines: DNS servers and firewalls pulling blocklists (intel_export) and log
 * shippers pushing lines (ingest). The secret is shown once, right after it is issued.
 */
export function MachineTokens({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string; purpose: TokenPurpose }>();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  const list = useQuery({ queryKey: KEY, queryFn: () => api<{ items: ApiTokenView[] }>('/tokens') });
  const create = useMutation({
    mutationFn: (v: { name: string; purpose: TokenPurpose }) => api<{ id: number; token: string }>('/tokens', { method: 'POST', body: v }),
    onSuccess: ({ token }, v) => {
      setCreating(false);
      form.resetFields();
      setIssued({ name: v.name, token });
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api(`/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void message.success(t('tokens.revoked'));
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => void message.error(errorText(e)),
  });

  return (
    <div data-testid="machine-tokens">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 16, marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('tokens.hint')}
        </Typography.Paragraph>
        {canWrite && (
          <Button type="primary" icon={<KeyOutlined />} onClick={() => setCreating(true)} data-testid="token-create">
            {t('tokens.create')}
          </Button>
        )}
      </div>
      {list.isError && <Alert type="error" showIcon title={errorText(list.error)} />}
      <Table<ApiTokenView>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('token')}
        pagination={false}
        columns={[
          { title: t('tokens.name'), dataIndex: 'name' },
          { title: t('tokens.purpose'), dataIndex: 'purpose', width: 160, render: (v: string) => <Tag color="blue">{codeLabel('tokens.purposes', v)}</Tag> },
          { title: t('tokens.createdBy'), dataIndex: 'createdBy', width: 130 },
          { title: t('tokens.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string | null) => formatCampusTime(v) },
          { title: t('tokens.lastUsedAt'), dataIndex: 'lastUsedAt', width: 160, render: (v: string | null) => formatCampusTime(v) },
          {
            title: t('tokens.status'),
            dataIndex: 'revokedAt',
            width: 170,
            render: (v: string | null) => (v ? <Tag>{t('tokens.revokedAt', { at: formatCampusTime(v) })}</Tag> : <Tag color="green">{t('tokens.live')}</Tag>),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_: unknown, tk: ApiTokenView) =>
                    tk.revokedAt ? null : (
                      <Popconfirm title={t('tokens.revokeConfirm', { name: tk.name })} onConfirm={() => revoke.mutate(tk.id)} okButtonProps={{ danger: true }}>
                        <Button type="link" size="small" danger icon={<StopOutlined />} data-testid="token-revoke">
                          {t('tokens.revoke')}
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={creating}
        title={t('tokens.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: create.isPending }}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ purpose: 'intel_export' }} onFinish={(v) => create.mutate(v)}>
          <Form.Item name="name" label={t('tokens.name')} rules={[{ required: true, whitespace: true }]} extra={t('tokens.nameHint')}>
            <Input maxLength={100} data-testid="token-name" />
          </Form.Item>
          <Form.Item name="purpose" label={t('tokens.purpose')} rules={[{ required: true }]}>
            <Select options={PURPOSES.map((p) => ({ value: p, label: codeLabel('tokens.purposes', p) }))} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={issued !== null}
        title={t('tokens.issuedTitle', { name: issued?.name ?? '' })}
        onCancel={() => setIssued(null)}
        onOk={() => setIssued(null)}
        okText={t('tokens.saved')}
        cancelButtonProps={{ style: { display: 'none' } }}
        maskClosable={false}
        width={640}
        data-testid="token-issued"
      >
        <Alert type="warning" showIcon title={t('tokens.onceWarning')} style={{ marginBottom: 16 }} />
        <Typography.Paragraph copyable={{ text: issued?.token ?? '' }} code style={{ wordBreak: 'break-all', fontSize: 15 }} data-testid="token-secret">
          {issued?.token}
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}
