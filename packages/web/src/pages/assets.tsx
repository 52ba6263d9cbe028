import { useState } from 'react';
import { Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { assetInput } from '@core/org/registry.schema.js';
import type { AssetView } from '../api/types.js';
import { readsAllDepartments, useUser, writesRegistry } from '../auth/session.js';
import { useLanguage } from '../i18n/locale-provider.js';
import { useRegistryWrites } from '../registry/crud.js';
import { ExcelBar } from '../registry/excel-bar.js';
import { assetKindLabel, assetKindOptions } from '../registry/labels.js';
import { DepartmentFilter, FormButtons, ListPage, paginationOf, RowActions, rowTestId, EditDrawer } from '../registry/list-page.js';
import { useListState, usePage } from '../registry/list-state.js';
import { MissingResponsibleTag } from '../registry/missing-tag.js';
import { RemoteSelect } from '../registry/remote-select.js';

/** "10.0.0.1, 10.0.0.2\n10.0.0.3" → three entries; core's schema then checks and normalizes each. */
function splitList(text: unknown): string[] {
  return typeof text === 'string' ? text.split(/[\s,;，；]+/).filter(Boolean) : [];
}

export default function AssetsPage() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const user = useUser();
  const state = useListState(['departmentId', 'kind', 'roomId', 'missingResponsible']);
  const list = usePage<AssetView>('/assets', state);
  const writes = useRegistryWrites('/assets', assetInput);
  const [editing, setEditing] = useState<AssetView | 'new' | null>(null);
  const canWrite = writesRegistry(user.role);

  return (
    <ListPage
      title={t('menu.assets')}
      testId="assets"
      q={state.q}
      onSearch={(q) => state.update({ q })}
      onCreate={canWrite ? () => setEditing('new') : undefined}
      excel={<ExcelBar entity="assets" filters={{ q: state.q, ...state.filters }} canImport={canWrite} />}
      filters={
        <>
          <DepartmentFilter role={user.role} value={state.filters.departmentId} onChange={(departmentId) => state.update({ departmentId })} />
          <Select
            allowClear
            placeholder={t('asset.kind')}
            value={state.filters.kind}
            onChange={(kind) => state.update({ kind })}
            options={assetKindOptions(language)}
            style={{ width: 150 }}
            data-testid="filter-asset-kind"
          />
          <Space size={6}>
            <Switch
              checked={state.filters.missingResponsible === 'true'}
              onChange={(on) => state.update({ missingResponsible: on ? 'true' : undefined })}
              data-testid="filter-missing-responsible"
              aria-label={t('asset.onlyMissing')}
            />
            <Typography.Text>{t('asset.onlyMissing')}</Typography.Text>
          </Space>
        </>
      }
    >
      <Table<AssetView>
        rowKey="id"
        data-testid="assets-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('assets')}
        size="middle"
        scroll={{ x: 1380 }}
        pagination={paginationOf(t, state, list.data?.total, state.update)}
        columns={[
          { title: t('asset.kind'), dataIndex: 'kind', width: 110, render: (v: AssetView['kind']) => <Tag>{assetKindLabel(v, language)}</Tag> },
          { title: t('asset.hostname'), dataIndex: 'hostname', width: 170, ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('asset.ips'), dataIndex: 'ips', width: 140, render: (v: string[]) => v.map((ip) => <div key={ip}>{ip}</div>) },
          {
            title: t('asset.responsible'),
            dataIndex: 'responsiblePersonName',
            width: 120,
            render: (v: string | null, a) => (a.missingResponsible ? <MissingResponsibleTag /> : (v ?? '—')),
          },
          { title: t('common.department'), dataIndex: 'departmentName', width: 140, ellipsis: true },
          { title: t('asset.room'), dataIndex: 'roomLabel', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
          {
            title: t('asset.macs'),
            dataIndex: 'macs',
            width: 165,
            render: (v: string[]) =>
              v.map((mac) => (
                <div key={mac} style={{ fontFamily: 'monospace', fontSize: 13 }}>
                  {mac}
                </div>
              )),
          },
          { title: t('asset.assetTag'), dataIndex: 'assetTag', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
          { title: t('asset.os'), dataIndex: 'os', width: 140, ellipsis: true, render: (v: string | null) => v ?? '—' },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  fixed: 'right' as const,
                  render: (_: unknown, a: AssetView) => (
                    <RowActions
                      name={a.hostname ?? a.assetTag ?? a.ips[0] ?? `#${a.id}`}
                      onEdit={() => setEditing(a)}
                      onDelete={() => writes.remove.mutate(a.id)}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      <EditDrawer editing={editing} titles={{ create: t('asset.createTitle'), edit: t('asset.editTitle') }} size={520} onClose={() => setEditing(null)}>
        {(current) => <AssetForm current={current} writes={writes} onDone={() => setEditing(null)} />}
      </EditDrawer>
    </ListPage>
  );
}

function AssetForm({
  current,
  writes,
  onDone,
}: {
  current: AssetView | null;
  writes: ReturnType<typeof useRegistryWrites<typeof assetInput>>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const user = useUser();
  const [form] = Form.useForm();
  const ownDepartmentOnly = !readsAllDepartments(user.role);
  const departmentId = Form.useWatch<number | undefined>('departmentId', form);
  const initial = current
    ? { ...current, ips: current.ips.join('\n'), macs: current.macs.join('\n') }
    : { kind: 'pc', departmentId: ownDepartmentOnly ? (user.departmentId ?? undefined) : undefined };
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={async (v: Record<string, unknown>) =>
        (await writes.submit(form, current?.id ?? null, { ...v, ips: splitList(v.ips), macs: splitList(v.macs) })) && onDone()
      }
    >
      <Form.Item name="kind" label={t('asset.kind')} rules={[{ required: true }]}>
        <Select options={assetKindOptions(language)} />
      </Form.Item>
      <Form.Item name="hostname" label={t('asset.hostname')}>
        <Input maxLength={128} />
      </Form.Item>
      <Form.Item name="assetTag" label={t('asset.assetTag')}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="ips" label={t('asset.ips')} extra={t('asset.listHint')}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="macs" label={t('asset.macs')} extra={t('asset.listHint')}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: true }]}>
        <RemoteSelect
          source="departments"
          disabled={ownDepartmentOnly}
          initialLabel={current?.departmentName ?? user.departmentName}
          onChange={() => form.setFieldsValue({ roomId: null, responsiblePersonId: null })}
        />
      </Form.Item>
      <Form.Item name="roomId" label={t('asset.room')}>
        <RemoteSelect source="rooms" departmentId={departmentId} disabled={!departmentId} initialLabel={current?.roomLabel} />
      </Form.Item>
      <Form.Item name="responsiblePersonId" label={t('asset.responsible')}>
        <RemoteSelect source="people" departmentId={departmentId} disabled={!departmentId} initialLabel={current?.responsiblePersonName} />
      </Form.Item>
      <Form.Item name="os" label={t('asset.os')}>
        <Input maxLength={128} />
      </Form.Item>
      <Form.Item name="notes" label={t('common.notes')}>
        <Input.TextArea rows={3} maxLength={1000} />
      </Form.Item>
      <FormButtons saving={writes.saving} onCancel={onDone} />
    </Form>
  );
}
