import { Suspense, useMemo } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Layout, Menu, Segmented, Space, Spin, Tag, Typography, type MenuProps } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  BookOutlined,
  CloudServerOutlined,
  DashboardOutlined,
  LogoutOutlined,
  NotificationOutlined,
  SafetyOutlined,
  ThunderboltOutlined,
  UserOutlined,
  WifiOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { SESSION_KEY, useUser } from '../auth/session.js';
import { useLanguage } from '../i18n/locale-provider.js';
import type { Language } from '../i18n/i18n.js';
import { CAPABILITIES, isGroup, visibleTo } from './capabilities.js';

const ICONS: Record<string, React.ReactNode> = {
  '/': <DashboardOutlined />,
  org: <ApartmentOutlined />,
  network: <WifiOutlined />,
  hostAgent: <CloudServerOutlined />,
  power: <ThunderboltOutlined />,
  remediation: <SafetyOutlined />,
  '/bulletins': <NotificationOutlined />,
  '/training': <BookOutlined />,
  '/notifications': <BellOutlined />,
  '/audit': <AuditOutlined />,
  '/account': <UserOutlined />,
};

/** The signed-in frame: product name and capability menu on the side, who and language on top. */
export function Shell() {
  const { t } = useTranslation();
  const user = useUser();
  const { language, setLanguage } = useLanguage();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();

  const items = useMemo<MenuProps['items']>(
    () =>
      CAPABILITIES.flatMap((c) => {
        if (!isGroup(c)) {
          return visibleTo(c, user.role) ? [{ key: c.path, icon: ICONS[c.path], label: t(`menu.${c.label}`) }] : [];
        }
        const children = c.items.filter((i) => visibleTo(i, user.role)).map((i) => ({ key: i.path, label: t(`menu.${i.label}`) }));
        return children.length ? [{ key: c.key, icon: ICONS[c.key], label: t(`menu.${c.label}`), children }] : [];
      }),
    [t, user.role],
  );
  const openGroup = CAPABILITIES.find((c) => isGroup(c) && c.items.some((i) => i.path === location.pathname));

  async function logout() {
    try {
      await api('/auth/logout', { method: 'POST', allowUnauthorized: true });
    } finally {
      queryClient.setQueryData(SESSION_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      navigate('/login', { replace: true });
    }
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={240} breakpoint="lg" collapsedWidth={64} theme="dark" style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
        <div style={{ padding: '18px 20px', color: '#fff', whiteSpace: 'nowrap', overflow: 'hidden' }}>
          <span style={{ fontSize: 20, fontWeight: 600 }}>清零</span>
          <span style={{ marginLeft: 8, opacity: 0.75 }}>Qingling</span>
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={[location.pathname]}
          defaultOpenKeys={openGroup && isGroup(openGroup) ? [openGroup.key] : ['org']}
          onClick={({ key }) => navigate(key)}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          <Space size="middle">
            <Space size={4} data-testid="current-user">
              <UserOutlined />
              <Typography.Text strong>{user.displayName}</Typography.Text>
              <Tag color="blue">{t(`role.${user.role}`)}</Tag>
              {user.departmentName && <Tag>{user.departmentName}</Tag>}
            </Space>
            <Segmented<Language>
              aria-label={t('app.language')}
              size="small"
              value={language}
              onChange={setLanguage}
              options={[
                { label: '中文', value: 'zh-CN' },
                { label: 'EN', value: 'en-US' },
              ]}
              data-testid="language-switch"
            />
            <Button icon={<LogoutOutlined />} onClick={() => void logout()} data-testid="logout">
              {t('app.logout')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: 24 }}>
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
