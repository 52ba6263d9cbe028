import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, errorText } from '../api/client.js';
import { SESSION_KEY, useUser } from '../auth/session.js';

interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export default function AccountPage() {
  const { t } = useTranslation();
  const user = useUser();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordChange>();
  const change = useMutation({
    mutationFn: ({ currentPassword, newPassword }: PasswordChange) =>
      // a wrong current password is a 401 here, not an expired session
      api('/auth/password', { method: 'POST', body: { currentPassword, newPassword }, allowUnauthorized: true }),
    onSuccess: async () => {
      void message.success(t('account.changed'));
      form.resetFields();
      const wasForced = user.mustChangePassword;
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      if (wasForced) navigate('/', { replace: true });
    },
  });

  return (
    <Card title={t('account.title')} style={{ maxWidth: 640 }} data-testid="account-page">
      {user.mustChangePassword && <Alert type="warning" showIcon title={t('account.mustChange')} style={{ marginBottom: 16 }} />}
      <Descriptions column={1} size="small" style={{ marginBottom: 24 }}>
        <Descriptions.Item label={t('account.username')}>{user.username}</Descriptions.Item>
        <Descriptions.Item label={t('account.displayName')}>{user.displayName}</Descriptions.Item>
        <Descriptions.Item label={t('account.role')}>{t(`role.${user.role}`)}</Descriptions.Item>
        <Descriptions.Item label={t('common.department')}>{user.departmentName ?? '—'}</Descriptions.Item>
      </Descriptions>
      {change.isError && <Alert type="error" showIcon title={errorText(change.error)} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form<PasswordChange> form={form} layout="vertical" onFinish={(v) => change.mutate(v)}>
        <Form.Item name="currentPassword" label={t('account.currentPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('account.newPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('account.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('account.mismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="password-submit">
          {t('account.submit')}
        </Button>
      </Form>
    </Card>
  );
}
