import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Popconfirm, Table, Tag, Typography } from 'antd';
import { KeyOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatCampusTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { EnrollmentTokenView } from '../api/types.js';
import { useUser } from '../auth/session.js';
import { RemoteSelect } from '../registry/remote-select.js';
import { rowTestId } from '../registry/list-page.js';

const KEY = ['/agents/enrollments'];

interface NewToken {
  departmentId: number;
  uses: number;
  days: number;
  note?: string;
}

/** The command an administrator runs on the host, with this server's address. */
export function enrollCommand(origin: string, token: string): string {
  return `qingling agent enroll --server ${origin} --token ${token}`;
}

/**
 * Enrollment tokens: made per department by the IT center or the department head, exchanged once
 * (or a few times) by `qingling agent enroll` for each host's own credential; shown only when made.
 */
export function EnrollmentTokens() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const user = useUser();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<NewToken>();
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<{ token: string; expiresAt: string } | null>(null);
  const ownOnly = user.role !== 'admin';
  const list = useQuery({ queryKey: KEY, queryFn: () => api<{ items: EnrollmentTokenView[] }>('/agents/enrollments') });
  const create = useMutation({
    mutationFn: (v: NewToken) =>
      api<{ id: number; token: string; expiresAt: string }>('/agents/enrollments', { method: 'POST', body: { ...v, note: v.note?.trim() || null } }),
    onSuccess: ({ token, expiresAt }) => {
      setCreating(false);
      form.resetFields();
      setIssued({ token, expiresAt });
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api(`/agents/enrollments/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void message.success(t('host.tokenRevoked'));
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const now = Date.now();
  const command = issued ? enrollCommand(window.location.origin, issued.token) : '';

  return (
    <div data-testid="enrollment-tokens">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 16, marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('host.enrollHint')}
        </Typography.Paragraph>
        <Button type="primary" icon={<KeyOutlined />} onClick={() => setCreating(true)} data-testid="enroll-create">
          {t('host.enrollCreate')}
        </Button>
      </div>
      {list.isError && <Alert type="error" showIcon title={errorText(list.error)} />}
      <Table<EnrollmentTokenView>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('enroll')}
        pagination={false}
        columns={[
          { title: t('common.department'), dataIndex: 'departmentName', width: 160 },
          { title: t('common.notes'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          { title: t('host.usesLeft'), dataIndex: 'usesLeft', width: 100, align: 'right' },
          { title: t('host.expiresAt'), dataIndex: 'expiresAt', width: 150, render: (v: string | null) => formatCampusTime(v) },
          { title: t('tokens.createdBy'), dataIndex: 'createdBy', width: 120 },
          { title: t('tokens.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string | null) => formatCampusTime(v) },
          {
            title: t('tokens.status'),
            key: 'status',
            width: 150,
            render: (_, e) =>
              e.revokedAt ? (
                <Tag>{t('tokens.revokedAt', { at: formatCampusTime(e.revokedAt) })}</Tag>
              ) : Date.parse(e.expiresAt) <= now ? (
                <Tag>{t('host.tokenExpired')}</Tag>
              ) : e.usesLeft <= 0 ? (
                <Tag>{t('host.tokenUsedUp')}</Tag>
              ) : (
                <Tag color="green">{t('tokens.live')}</Tag>
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_, e) =>
              e.revokedAt ? null : (
                <Popconfirm title={t('host.tokenRevokeConfirm')} onConfirm={() => revoke.mutate(e.id)} okButtonProps={{ danger: true }}>
                  <Button type="link" size="small" danger icon={<StopOutlined />} data-testid="enroll-revoke">
                    {t('tokens.revoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('host.enrollCreate')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: create.isPending, ...{ 'data-testid': 'enroll-submit' } }}
        destroyOnHidden
      >
        <Form<NewToken>
          form={form}
          layout="vertical"
          initialValues={{ uses: 1, days: 7, departmentId: ownOnly ? (user.departmentId ?? undefined) : undefined }}
          onFinish={(v) => create.mutate(v)}
        >
          <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: true }]}>
            <RemoteSelect source="departments" disabled={ownOnly} initialLabel={ownOnly ? user.departmentName : undefined} data-testid="enroll-department" />
          </Form.Item>
          <Form.Item name="uses" label={t('host.uses')} extra={t('host.usesHint')} rules={[{ required: true }]}>
            <InputNumber min={1} max={10_000} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="days" label={t('host.validDays')} rules={[{ required: true }]}>
            <InputNumber min={1} max={365} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="note" label={t('common.notes')} extra={t('host.noteHint')}>
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={issued !== null}
        title={t('host.enrollIssued')}
        onCancel={() => setIssued(null)}
        onOk={() => setIssued(null)}
        okText={t('tokens.saved')}
        cancelButtonProps={{ style: { display: 'none' } }}
        maskClosable={false}
        width={720}
        data-testid="enroll-issued"
      >
        <Alert type="warning" showIcon title={t('host.enrollOnce', { at: formatCampusTime(issued?.expiresAt ?? null) })} style={{ marginBottom: 16 }} />
        <Typography.Text type="secondary">{t('host.token')}</Typography.Text>
        <Typography.Paragraph copyable={{ text: issued?.token ?? '' }} code style={{ wordBreak: 'break-all', fontSize: 15 }} data-testid="enroll-token">
          {issued?.token}
        </Typography.Paragraph>
        <Typography.Text type="secondary">{t('host.enrollCommand')}</Typography.Text>
        <Typography.Paragraph copyable={{ text: command }} code style={{ wordBreak: 'break-all' }} data-testid="enroll-command">
          {command}
        </Typography.Paragraph>
      </Modal>
    </div>
  );
}
