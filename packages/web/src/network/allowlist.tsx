import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Popconfirm, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatCampusTime } from '../time/campus-time.js';
import { api, errorText } from '../api/client.js';
import type { AllowEntry } from '../api/types.js';
import { codeLabel } from './labels.js';
import { rowTestId } from '../registry/list-page.js';

const KEY = ['/intel/allowlist'];

/** The campus' own services: never blocked, never reported; an allow entry wins over any indicator. */
export function Allowlist({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ value: string; note?: string }>();
  const list = useQuery({ queryKey: KEY, queryFn: () => api<{ items: AllowEntry[] }>('/intel/allowlist') });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: KEY });
    void queryClient.invalidateQueries({ queryKey: ['/intel/indicators'] });
  };
  const add = useMutation({
    mutationFn: (v: { value: string; note?: string }) => api('/intel/allowlist', { method: 'POST', body: { value: v.value, note: v.note || null } }),
    onSuccess: () => {
      void message.success(t('common.saved'));
      form.resetFields();
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const remove = useMutation({
    mutationFn: (id: number) => api(`/intel/allowlist/${id}`, { method: 'DELETE' }),
    onSuccess: () => {
      void message.success(t('common.deleted'));
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });

  return (
    <div data-testid="allowlist">
      <Typography.Paragraph type="secondary">{t('intel.allowHint')}</Typography.Paragraph>
      {canWrite && (
        <Form form={form} layout="inline" onFinish={(v) => add.mutate(v)} style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item name="value" rules={[{ required: true, whitespace: true }]}>
            <Input placeholder={t('intel.allowValue')} style={{ width: 260 }} data-testid="allow-value" />
          </Form.Item>
          <Form.Item name="note">
            <Input placeholder={t('common.notes')} style={{ width: 260 }} maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={add.isPending} data-testid="allow-add">
            {t('intel.allowAdd')}
          </Button>
        </Form>
      )}
      {list.isError && <Alert type="error" showIcon title={errorText(list.error)} />}
      <Table<AllowEntry>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('allow')}
        pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
        columns={[
          { title: t('intel.value'), dataIndex: 'value', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('common.notes'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          { title: t('intel.origin'), dataIndex: 'origin', width: 110, render: (v: string) => <Tag>{codeLabel('intel.origins', v)}</Tag> },
          { title: t('intel.addedAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatCampusTime(v) },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_: unknown, a: AllowEntry) => (
                    <Popconfirm
                      title={t('intel.allowRemoveConfirm', { value: a.value })}
                      onConfirm={() => remove.mutate(a.id)}
                      okButtonProps={{ danger: true }}
                    >
                      <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid="allow-remove">
                        {t('common.delete')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
    </div>
  );
}
