import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Skeleton, Statistic, Typography } from 'antd';
import { AlertOutlined, DesktopOutlined } from '@ant-design/icons';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { campusTime } from '../time/campus-time.js';
import { api } from '../api/client.js';
import type { Page, SignalView } from '../api/types.js';
import { echarts } from '../charts/echarts.js';

/** The most rows one request may fetch; with more, only the total is shown (a partial chart would mislead). */
const LIMIT = 500;

/** Overview: mining signals of the last 7 days, hosts involved and hits per day. */
export function RecentSignalsCard() {
  const { t } = useTranslation();
  const since = useMemo(() => campusTime().subtract(6, 'day').startOf('day'), []);
  const recent = useQuery({
    queryKey: ['/signals', { since: since.toISOString(), pageSize: LIMIT }],
    queryFn: () => api<Page<SignalView>>('/signals', { query: { since: since.toISOString(), pageSize: LIMIT } }),
  });
  const data = recent.data;
  const complete = data !== undefined && data.total <= data.items.length;
  const days = Array.from({ length: 7 }, (_, i) => since.add(i, 'day'));
  const hits = days.map((d) => (data?.items ?? []).filter((s) => campusTime(s.lastSeen).isSame(d, 'day')).reduce((n, s) => n + s.count, 0));
  const hosts = new Set((data?.items ?? []).map((s) => s.ip ?? `${s.subject.kind}:${s.subject.value}`)).size;
  const link = `/signals?since=${encodeURIComponent(since.toISOString())}`;
  // The overview stays useful without it (the server down for this list, a role it refuses).
  if (recent.isError) return null;

  return (
    <Card
      title={t('overview.signalsTitle')}
      extra={<Link to={link}>{t('overview.signalsMore')}</Link>}
      style={{ marginTop: 16 }}
      data-testid="overview-signals"
    >
      {recent.isPending ? (
        <Skeleton active />
      ) : (
        <Row gutter={24} align="middle">
          <Col xs={24} md={8}>
            <Row gutter={16}>
              <Col span={12}>
                <Statistic
                  title={t('overview.signals')}
                  value={data?.total ?? 0}
                  prefix={<AlertOutlined />}
                  styles={(data?.total ?? 0) > 0 ? { content: { color: '#cf1322' } } : undefined}
                />
              </Col>
              {complete && (
                <Col span={12}>
                  <Statistic title={t('overview.signalHosts')} value={hosts} prefix={<DesktopOutlined />} />
                </Col>
              )}
            </Row>
          </Col>
          <Col xs={24} md={16}>
            {complete ? (
              <ReactEChartsCore
                echarts={echarts}
                notMerge
                style={{ height: 160 }}
                option={{
                  tooltip: { trigger: 'axis' },
                  grid: { left: 40, right: 16, top: 16, bottom: 24 },
                  xAxis: { type: 'category', data: days.map((d) => d.format('MM-DD')) },
                  yAxis: { type: 'value', minInterval: 1 },
                  series: [{ name: t('overview.signalHits'), type: 'bar', data: hits, itemStyle: { color: '#ff4d4f' }, barMaxWidth: 28 }],
                }}
              />
            ) : (
              <Typography.Text type="secondary">{t('overview.signalsTooMany', { limit: LIMIT })}</Typography.Text>
            )}
          </Col>
        </Row>
      )}
    </Card>
  );
}
