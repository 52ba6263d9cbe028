import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Row, Skeleton, Statistic } from 'antd';
import { ApartmentOutlined, DesktopOutlined, HomeOutlined, TeamOutlined, WarningOutlined } from '@ant-design/icons';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, errorText } from '../api/client.js';
import type { Overview } from '../api/types.js';
import { echarts } from '../charts/echarts.js';
import { useUser } from '../auth/session.js';
import { allCapabilities, visibleTo } from '../layout/capabilities.js';
import { RecentSignalsCard } from '../network/recent-signals-card.js';

export default function OverviewPage() {
  const { t } = useTranslation();
  const overview = useQuery({ queryKey: ['/overview'], queryFn: () => api<Overview>('/overview') });
  const user = useUser();
  const signals = allCapabilities().find((c) => c.path === '/signals');
  if (overview.isError) return <Alert type="error" showIcon title={errorText(overview.error)} />;
  const o = overview.data;
  const stats = [
    { key: 'departments', icon: <ApartmentOutlined />, to: '/departments' },
    { key: 'people', icon: <TeamOutlined />, to: '/people' },
    { key: 'rooms', icon: <HomeOutlined />, to: '/rooms' },
    { key: 'assets', icon: <DesktopOutlined />, to: '/assets' },
    { key: 'assetsWithoutResponsible', icon: <WarningOutlined />, to: '/assets?missingResponsible=true' },
  ] as const;

  const byDept = [...(o?.byDepartment ?? [])].sort((a, b) => b.assets - a.assets);
  const option = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: byDept.length > 8 ? 90 : 40 },
    xAxis: {
      type: 'category',
      data: byDept.map((d) => d.departmentName),
      axisLabel: { interval: 0, rotate: byDept.length > 8 ? 30 : 0 },
    },
    yAxis: { type: 'value' },
    dataZoom: byDept.length > 20 ? [{ type: 'slider', start: 0, end: (20 / byDept.length) * 100 }] : [],
    series: [
      { name: t('overview.chartAssets'), type: 'bar', data: byDept.map((d) => d.assets), itemStyle: { color: '#1677ff' } },
      { name: t('overview.chartMissing'), type: 'bar', data: byDept.map((d) => d.assetsWithoutResponsible), itemStyle: { color: '#ff4d4f' } },
    ],
  };

  return (
    <div data-testid="overview-page">
      <Row gutter={[16, 16]}>
        {stats.map((s) => (
          <Col key={s.key} xs={24} sm={12} lg={8} xl={{ flex: '20%' }}>
            <Link to={s.to}>
              <Card hoverable>
                <Statistic
                  title={t(`overview.${s.key}`)}
                  value={o?.[s.key] ?? 0}
                  loading={overview.isPending}
                  prefix={s.icon}
                  styles={s.key === 'assetsWithoutResponsible' && (o?.[s.key] ?? 0) > 0 ? { content: { color: '#cf1322' } } : undefined}
                />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
      {signals && visibleTo(signals, user.role) && <RecentSignalsCard />}
      <Card title={t('overview.chartTitle')} style={{ marginTop: 16 }}>
        {o ? <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 420 }} data-testid="overview-chart" /> : <Skeleton active />}
      </Card>
    </div>
  );
}
