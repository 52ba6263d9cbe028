import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client.js';
import type { SessionAnswer } from '../api/types.js';
import { SESSION_KEY, signedIn } from '../auth/session.js';
import { useLanguage } from '../i18n/locale-provider.js';
import type { Language } from '../i18n/i18n.js';

interface Credentials {
  username: string;
  password: string;
}

/** Only same-site paths may be a post-login destination (no open redirect). */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { language, setLanguage } = useLanguage();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<unknown>(null);

  const login = useMutation({
    mutationFn: async (c: Credentials) => signedIn(await api<SessionAnswer>('/auth/login', { method: 'POST', body: c, allowUnauthorized: true })),
    onSuccess: (user) => {
      queryClient.setQueryData(SESSION_KEY, user);
      navigate(user.mustChangePassword ? '/account' : safeNext(params.get('next')), { replace: true });
    },
    onError: setFailure,
  });

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #e6f4ff 0%, #f5f5f5 100%)',
      }}
    >
      <Card style={{ width: 380 }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={2} style={{ marginBottom: 0, color: '#1677ff' }}>
            清零 Qingling
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
        </div>
        {failure !== null && <Alert type="error" showIcon title={errorText(failure)} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form<Credentials> layout="vertical" onFinish={(v) => login.mutate(v)} requiredMark={false} name="login">
          <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('login.usernameRequired') }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Segmented<Language>
            size="small"
            aria-label={t('app.language')}
            value={language}
            onChange={setLanguage}
            options={[
              { label: '中文', value: 'zh-CN' },
              { label: 'English', value: 'en-US' },
            ]}
          />
        </div>
      </Card>
    </div>
  );
}
