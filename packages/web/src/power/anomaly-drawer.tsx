import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Empty, Form, Image, Input, Radio, Space, Tag, Typography, Upload } from 'antd';
import { CameraOutlined, CheckOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { formatCampusTime } from '../time/campus-time.js';
import { api, apiUrl, errorText } from '../api/client.js';
import { CHECK_RESULTS, type AnomalyRow, type CheckResult, type PowerCheckView } from '../api/types.js';
import { useUser } from '../auth/session.js';
import { useLanguage } from '../i18n/locale-provider.js';
import { codeLabel } from '../network/labels.js';
import { RemoteSelect } from '../registry/remote-select.js';
import { MeterLoadChart } from './load-chart.js';
import { formatKw, KIND_COLOR, s19Count, STATUS_COLOR } from './labels.js';
import { POWER_KEYS } from './power-keys.js';

function usePowerRefresh() {
  const queryClient = useQueryClient();
  return () => {
    for (const key of POWER_KEYS) void queryClient.invalidateQueries({ queryKey: [key] });
  };
}

/**
 * One anomaly: what the detector saw (in the reader's language), the meter's load with the episode
 * shaded, and the on-site checks — assigned by logistics, recorded with a result and photos.
 */
export function AnomalyDrawer({ anomaly, onClose }: { anomaly: AnomalyRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Drawer
      open={anomaly !== null}
      onClose={onClose}
      size={980}
      destroyOnHidden
      title={anomaly ? t('power.anomalyTitle', { code: anomaly.meter.code, name: anomaly.meter.name }) : ''}
      data-testid="anomaly-drawer"
    >
      {anomaly && (
        <>
          <Descriptions size="small" column={3} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('power.kindOfAnomaly')}>
              <Tag color={KIND_COLOR[anomaly.kind] ?? 'default'}>{codeLabel('power.kinds', anomaly.kind)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('power.status')}>
              <Tag color={STATUS_COLOR[anomaly.status] ?? 'default'}>{codeLabel('power.statuses', anomaly.status)}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('power.score')}>{anomaly.score.toFixed(2)}</Descriptions.Item>
            <Descriptions.Item label={t('power.period')} span={2}>
              {formatCampusTime(anomaly.start)} → {anomaly.ongoing ? t('power.ongoing') : formatCampusTime(anomaly.end)}
            </Descriptions.Item>
            <Descriptions.Item label={t('power.excess')}>
              {t('power.excessValue', { kw: formatKw(anomaly.excessKw), n: s19Count(anomaly.excessKw) })}
            </Descriptions.Item>
          </Descriptions>
          <Alert type="warning" showIcon title={anomaly.explanation[language]} style={{ marginBottom: 12 }} data-testid="anomaly-explanation" />
          <MeterLoadChart meterId={anomaly.meterId} focus={anomaly.id} showAnomalies={false} />
          <Checks anomaly={anomaly} />
        </>
      )}
    </Drawer>
  );
}

function Checks({ anomaly }: { anomaly: AnomalyRow }) {
  const { t } = useTranslation();
  const user = useUser();
  const checks = useQuery({
    queryKey: ['/power/checks', anomaly.id],
    queryFn: () => api<{ items: PowerCheckView[] }>(`/power/anomalies/${anomaly.id}/checks`),
  });
  const canAssign = user.role === 'admin' || user.role === 'logistics';
  // The server lets logistics, the IT center or the meter's own department record a visit.
  const canRecord = canAssign || user.role === 'dept_head' || user.role === 'dept_staff';
  return (
    <Card size="small" title={t('power.checks')} style={{ marginTop: 16 }} data-testid="anomaly-checks">
      {checks.isError && <Alert type="error" showIcon title={errorText(checks.error)} />}
      {checks.data?.items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('power.noChecks')} />}
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {checks.data?.items.map((c) => (
          <CheckCard key={c.id} check={c} canRecord={canRecord} />
        ))}
        {canAssign && <AssignCheck anomaly={anomaly} />}
      </Space>
    </Card>
  );
}

function CheckCard({ check, canRecord }: { check: PowerCheckView; canRecord: boolean }) {
  const { t } = useTranslation();
  return (
    <Card size="small" type="inner" data-testid="check-row" title={t('power.checkN', { id: check.id })} extra={<CheckStatus check={check} />}>
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t('power.assignee')}>{check.assignee ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('power.due')}>{check.due ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('power.visitedAt')}>{check.visitedAt ? formatCampusTime(check.visitedAt) : '—'}</Descriptions.Item>
        {check.notes && (
          <Descriptions.Item label={t('common.notes')} span={3}>
            {check.notes}
          </Descriptions.Item>
        )}
      </Descriptions>
      {check.photos.length > 0 && (
        <Image.PreviewGroup>
          <Space wrap style={{ marginTop: 8 }} data-testid="check-photos">
            {check.photos.map((p) => (
              <Image key={p.id} src={apiUrl(`/power/photos/${p.id}`)} alt={p.filename} width={96} height={72} style={{ objectFit: 'cover' }} />
            ))}
          </Space>
        </Image.PreviewGroup>
      )}
      {canRecord && <RecordCheck check={check} />}
    </Card>
  );
}

function CheckStatus({ check }: { check: PowerCheckView }) {
  if (check.result) return <Tag color={STATUS_COLOR[check.result] ?? 'default'}>{codeLabel('power.statuses', check.result)}</Tag>;
  return <Tag color="orange">{codeLabel('power.checkStatuses', check.status)}</Tag>;
}

function AssignCheck({ anomaly }: { anomaly: AnomalyRow }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = usePowerRefresh();
  const [form] = Form.useForm<{ assigneePersonId?: number; due?: Dayjs; notes?: string }>();
  const assign = useMutation({
    mutationFn: (v: { assigneePersonId?: number; due?: Dayjs; notes?: string }) =>
      api(`/power/anomalies/${anomaly.id}/checks`, {
        method: 'POST',
        body: { assigneePersonId: v.assigneePersonId ?? null, due: v.due ? v.due.format('YYYY-MM-DD') : null, notes: v.notes?.trim() || null },
      }),
    onSuccess: () => {
      void message.success(t('power.assigned'));
      form.resetFields();
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Form form={form} layout="inline" onFinish={(v) => assign.mutate(v)} data-testid="check-assign" style={{ rowGap: 8 }}>
      <Form.Item name="assigneePersonId" label={t('power.assignee')}>
        {/* Logistics staff visit any building: every person, not only the meter's department. */}
        <RemoteSelect source="people" style={{ width: 200 }} data-testid="check-assignee" />
      </Form.Item>
      <Form.Item name="due" label={t('power.due')}>
        <DatePicker />
      </Form.Item>
      <Form.Item name="notes">
        <Input placeholder={t('common.notes')} maxLength={2000} style={{ width: 200 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" icon={<UserAddOutlined />} loading={assign.isPending} data-testid="check-assign-submit">
        {t('power.assign')}
      </Button>
    </Form>
  );
}

function RecordCheck({ check }: { check: PowerCheckView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refresh = usePowerRefresh();
  const [form] = Form.useForm<{ result: CheckResult; notes?: string }>();
  const [uploading, setUploading] = useState(false);
  const record = useMutation({
    mutationFn: (v: { result: CheckResult; notes?: string }) =>
      api(`/power/checks/${check.id}`, { method: 'PATCH', body: { result: v.result, notes: v.notes?.trim() || null, visitedAt: new Date().toISOString() } }),
    onSuccess: () => {
      void message.success(t('power.recorded'));
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });

  async function uploadPhoto(file: File) {
    const body = new FormData();
    body.append('file', file);
    setUploading(true);
    try {
      await api(`/power/checks/${check.id}/photos`, { method: 'POST', body });
      void message.success(t('power.photoAdded'));
      refresh();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setUploading(false);
    }
  }

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ result: check.result ?? undefined, notes: check.notes ?? '' }}
      onFinish={(v) => record.mutate(v)}
      style={{ marginTop: 12 }}
      data-testid="check-record"
    >
      <Form.Item name="result" label={t('power.result')} rules={[{ required: true, message: t('power.resultRequired') }]}>
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          options={CHECK_RESULTS.map((r) => ({ value: r, label: codeLabel('power.statuses', r) }))}
          data-testid="check-result"
        />
      </Form.Item>
      <Form.Item name="notes" label={t('common.notes')} extra={t('power.legitimateHint')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" icon={<CheckOutlined />} loading={record.isPending} data-testid="check-record-submit">
          {t('power.record')}
        </Button>
        <Upload
          accept="image/jpeg,image/png,image/webp"
          showUploadList={false}
          beforeUpload={(f) => {
            void uploadPhoto(f);
            return false;
          }}
        >
          <Button icon={<CameraOutlined />} loading={uploading} data-testid="check-photo">
            {t('power.addPhoto')}
          </Button>
        </Upload>
        <Typography.Text type="secondary">{t('power.photoHint')}</Typography.Text>
      </Space>
    </Form>
  );
}
