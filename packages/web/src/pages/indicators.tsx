import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { EditOutlined, ImportOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { formatCampusTime, fromCampusWallClock, toCampusWallClock } from '../time/campus-time.js';
import { api, ApiError, errorText } from '../api/client.js';
import {
  INDICATOR_CATEGORIES,
  INDICATOR_ORIGINS,
  INDICATOR_TYPES,
  type IndicatorCategory,
  type IndicatorPage,
  type IndicatorType,
  type IndicatorView,
} from '../api/types.js';
import { useUser } from '../auth/session.js';
import { FormButtons, ListPage, paginationOf, rowTestId } from '../registry/list-page.js';
import { useListState, usePage } from '../registry/list-state.js';
import { Allowlist } from '../network/allowlist.js';
import { IndicatorImportModal } from '../network/indicator-import.js';
import { CATEGORY_COLOR, codeLabel } from '../network/labels.js';

const LIST_KEY = '/intel/indicators';

const options = (group: string, codes: readonly string[]) => codes.map((value) => ({ value, label: codeLabel(group, value) }));

/** Writes to one indicator, refreshing the list (and the version it shows) after. */
function useIndicatorWrites() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: [LIST_KEY] });
  const patch = useMutation({
    mutationFn: ({ id, change }: { id: number; change: Record<string, unknown> }) => api(`/intel/indicators/${id}`, { method: 'PATCH', body: change }),
    onSuccess: () => {
      void message.success(t('common.saved'));
      refresh();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => api<{ id: number }>('/intel/indicators', { method: 'POST', body }),
    onSuccess: () => {
      void message.success(t('common.saved'));
      refresh();
    },
  });
  return { patch, create };
}

/** Measure 1: the pool domains, addresses and ports the campus blocks and watches for, with their hits. */
export default function IndicatorsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const [params] = useSearchParams();
  const state = useListState(['type', 'category', 'origin', 'hit']);
  const list = usePage<IndicatorView>(LIST_KEY, state);
  const data = list.data as IndicatorPage | undefined;
  const writes = useIndicatorWrites();
  const canWrite = user.role === 'admin';
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [editing, setEditing] = useState<IndicatorView | null>(null);
  const tab = params.get('tab') === 'allowlist' ? 'allowlist' : 'indicators';
  const now = Date.now();

  const indicators = (
    <ListPage
      title={t('menu.indicators')}
      testId="indicators"
      q={state.q}
      onSearch={(q) => state.update({ q })}
      onCreate={canWrite ? () => setCreating(true) : undefined}
      excel={
        <Space wrap>
          {data && (
            <Tooltip title={t('intel.versionHint')}>
              <Tag color="geekblue" data-testid="intel-version">
                {t('intel.version', { version: data.version })}
              </Tag>
            </Tooltip>
          )}
          {canWrite && (
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="intel-import-open">
              {t('intel.import')}
            </Button>
          )}
        </Space>
      }
      filters={
        <>
          <Select
            allowClear
            placeholder={t('intel.type')}
            value={state.filters.type}
            onChange={(type) => state.update({ type })}
            options={options('intel.types', INDICATOR_TYPES)}
            style={{ width: 120 }}
            data-testid="filter-type"
          />
          <Select
            allowClear
            placeholder={t('intel.category')}
            value={state.filters.category}
            onChange={(category) => state.update({ category })}
            options={options('intel.categories', INDICATOR_CATEGORIES)}
            style={{ width: 160 }}
            data-testid="filter-category"
          />
          <Select
            allowClear
            placeholder={t('intel.origin')}
            value={state.filters.origin}
            onChange={(origin) => state.update({ origin })}
            options={options('intel.origins', INDICATOR_ORIGINS)}
            style={{ width: 130 }}
            data-testid="filter-origin"
          />
          <Space size={6}>
            <Switch
              checked={state.filters.hit === 'true'}
              onChange={(on) => state.update({ hit: on ? 'true' : undefined })}
              aria-label={t('intel.onlyHit')}
              data-testid="filter-hit"
            />
            <Typography.Text>{t('intel.onlyHit')}</Typography.Text>
          </Space>
        </>
      }
    >
      {list.isError && <Alert type="error" showIcon title={errorText(list.error)} style={{ marginBottom: 16 }} />}
      <Table<IndicatorView>
        rowKey="id"
        size="middle"
        data-testid="indicators-table"
        loading={list.isFetching}
        dataSource={data?.items}
        onRow={rowTestId('indicators')}
        scroll={{ x: 1060 }}
        pagination={paginationOf(t, state, data?.total, state.update)}
        columns={[
          {
            title: t('intel.value'),
            key: 'value',
            width: 260,
            render: (_, i) => (
              <div style={{ lineHeight: 1.6 }}>
                <Tag>{codeLabel('intel.types', i.type)}</Tag>
                <Typography.Text code delete={i.disabled} style={{ wordBreak: 'break-all' }}>
                  {i.value}
                  {i.port ? `:${i.port}` : ''}
                </Typography.Text>
                {i.note && (
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: i.note }} style={{ margin: 0, fontSize: 12 }}>
                    {i.note}
                  </Typography.Paragraph>
                )}
              </div>
            ),
          },
          {
            title: t('intel.category'),
            dataIndex: 'category',
            width: 110,
            render: (v: IndicatorCategory) => <Tag color={CATEGORY_COLOR[v]}>{codeLabel('intel.categories', v)}</Tag>,
          },
          {
            title: t('intel.hits'),
            dataIndex: 'hits',
            width: 100,
            align: 'right',
            // Sorts the rows on this page; the server orders the list itself.
            sorter: (a, b) => a.hits - b.hits,
            render: (v: number) =>
              v > 0 ? (
                <Typography.Text strong type="danger">
                  {v}
                </Typography.Text>
              ) : (
                <Typography.Text type="secondary">0</Typography.Text>
              ),
          },
          { title: t('intel.lastHitAt'), dataIndex: 'lastHitAt', width: 140, render: (v: string | null) => formatCampusTime(v) },
          {
            title: t('intel.origin'),
            key: 'origin',
            width: 190,
            render: (_, i) => (
              <div style={{ lineHeight: 1.6 }}>
                <Tag>{codeLabel('intel.origins', i.origin)}</Tag>
                <Typography.Text type="secondary" ellipsis={{ tooltip: i.source }} style={{ display: 'block', maxWidth: 170, fontSize: 12 }}>
                  {i.source}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t('intel.expiresAt'),
            dataIndex: 'expiresAt',
            width: 110,
            render: (v: string | null) => (!v ? '—' : Date.parse(v) <= now ? <Tag color="default">{t('intel.expired')}</Tag> : formatCampusTime(v, 'YYYY-MM-DD')),
          },
          {
            title: t('intel.enabled'),
            dataIndex: 'disabled',
            width: 70,
            fixed: 'right',
            render: (disabled: boolean, i) =>
              canWrite ? (
                <Switch
                  size="small"
                  checked={!disabled}
                  loading={writes.patch.isPending && writes.patch.variables?.id === i.id}
                  onChange={(on) => writes.patch.mutate({ id: i.id, change: { disabled: !on } })}
                  aria-label={t('intel.enabled')}
                  data-testid="indicator-enabled"
                />
              ) : disabled ? (
                <Tag>{t('intel.disabled')}</Tag>
              ) : (
                <Tag color="green">{t('intel.active')}</Tag>
              ),
          },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 80,
                  fixed: 'right' as const,
                  render: (_: unknown, i: IndicatorView) => (
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(i)} data-testid="indicator-edit">
                      {t('common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Drawer open={creating} title={t('intel.createTitle')} size={480} onClose={() => setCreating(false)} destroyOnHidden>
        {creating && <IndicatorForm writes={writes} onDone={() => setCreating(false)} />}
      </Drawer>
      <IndicatorEditModal indicator={editing} writes={writes} onClose={() => setEditing(null)} />
      <IndicatorImportModal open={importing} onClose={() => setImporting(false)} />
    </ListPage>
  );

  return (
    <Tabs
      activeKey={tab}
      onChange={(key) => state.update({ tab: key === 'allowlist' ? key : undefined, page: undefined })}
      tabBarStyle={{ marginBottom: 12 }}
      items={[
        { key: 'indicators', label: t('intel.tabIndicators'), children: indicators },
        {
          key: 'allowlist',
          label: t('intel.tabAllowlist'),
          children: (
            <Card
              title={
                <Typography.Title level={4} style={{ margin: 0 }}>
                  {t('intel.tabAllowlist')}
                </Typography.Title>
              }
            >
              <Allowlist canWrite={canWrite} />
            </Card>
          ),
        },
      ]}
    />
  );
}

interface IndicatorFormValues {
  type: IndicatorType;
  value: string;
  port?: number | null;
  category: IndicatorCategory;
  source?: string;
  note?: string;
  expiresAt?: Dayjs | null;
}

function IndicatorForm({ writes, onDone }: { writes: ReturnType<typeof useIndicatorWrites>; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<IndicatorFormValues>();
  const type = Form.useWatch('type', form);

  async function submit(v: IndicatorFormValues) {
    try {
      await writes.create.mutateAsync({
        type: v.type,
        value: v.value,
        port: v.type === 'ip' ? (v.port ?? null) : null,
        category: v.category,
        source: v.source || undefined,
        note: v.note || null,
        expiresAt: v.expiresAt ? fromCampusWallClock(v.expiresAt).toISOString() : null,
      });
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.issues.some((i) => i.path.endsWith('value')))
        form.setFields([{ name: 'value', errors: [t('intel.valueInvalid', { type: codeLabel('intel.types', v.type) })] }]);
      else if (e instanceof ApiError && e.code === 'conflict') form.setFields([{ name: 'value', errors: [t('intel.duplicate')] }]);
      else void message.error(errorText(e));
    }
  }

  return (
    <Form form={form} layout="vertical" initialValues={{ type: 'domain', category: 'pool' }} onFinish={(v) => void submit(v)} data-testid="indicator-form">
      <Form.Item name="type" label={t('intel.type')} rules={[{ required: true }]}>
        <Select options={options('intel.types', INDICATOR_TYPES)} />
      </Form.Item>
      <Form.Item name="value" label={t('intel.value')} rules={[{ required: true, whitespace: true }]} extra={t(`intel.valueHint.${type ?? 'domain'}`)}>
        <Input maxLength={253} data-testid="indicator-value" />
      </Form.Item>
      {type === 'ip' && (
        <Form.Item name="port" label={t('intel.port')} extra={t('intel.portHint')}>
          <InputNumber min={1} max={65535} style={{ width: 160 }} />
        </Form.Item>
      )}
      <Form.Item name="category" label={t('intel.category')} rules={[{ required: true }]}>
        <Select options={options('intel.categories', INDICATOR_CATEGORIES)} />
      </Form.Item>
      <Form.Item name="source" label={t('intel.source')} extra={t('intel.sourceHint')}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="expiresAt" label={t('intel.expiresAt')}>
        <DatePicker showTime style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="note" label={t('common.notes')}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
      <FormButtons saving={writes.create.isPending} onCancel={onDone} />
    </Form>
  );
}

/** Expiry, category and note of an existing entry (the value itself is its identity and does not change). */
function IndicatorEditModal({
  indicator,
  writes,
  onClose,
}: {
  indicator: IndicatorView | null;
  writes: ReturnType<typeof useIndicatorWrites>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ category: IndicatorCategory; expiresAt: Dayjs | null; note: string }>();
  return (
    <Modal
      open={indicator !== null}
      title={indicator ? t('intel.editTitle', { value: indicator.value }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: writes.patch.isPending }}
      destroyOnHidden
    >
      {indicator && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ category: indicator.category, expiresAt: indicator.expiresAt ? toCampusWallClock(indicator.expiresAt) : null, note: indicator.note ?? '' }}
          onFinish={(v) =>
            writes.patch.mutate(
              { id: indicator.id, change: { category: v.category, expiresAt: v.expiresAt ? fromCampusWallClock(v.expiresAt).toISOString() : null, note: v.note.trim() || null } },
              { onSuccess: onClose },
            )
          }
        >
          <Form.Item name="category" label={t('intel.category')} rules={[{ required: true }]}>
            <Select options={options('intel.categories', INDICATOR_CATEGORIES)} />
          </Form.Item>
          <Form.Item name="expiresAt" label={t('intel.expiresAt')} extra={t('intel.expiresHint')}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="note" label={t('common.notes')}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
