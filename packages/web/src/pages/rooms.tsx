import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Form, Input, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { roomInput } from '@core/org/registry.schema.js';
import { api } from '../api/client.js';
import type { RoomView } from '../api/types.js';
import { readsAllDepartments, useUser, writesRegistry } from '../auth/session.js';
import { useLanguage } from '../i18n/locale-provider.js';
import { useRegistryWrites } from '../registry/crud.js';
import { ExcelBar } from '../registry/excel-bar.js';
import { roomTypeLabel, roomTypeOptions } from '../registry/labels.js';
import { DepartmentFilter, FormButtons, ListPage, paginationOf, RowActions, rowTestId, EditDrawer } from '../registry/list-page.js';
import { useListState, usePage } from '../registry/list-state.js';
import { RemoteSelect } from '../registry/remote-select.js';

function roomLabel(r: Pick<RoomView, 'building' | 'floor' | 'number'>): string {
  return `${r.building} ${r.number}`;
}

export default function RoomsPage() {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const user = useUser();
  const state = useListState(['departmentId', 'type', 'building']);
  const list = usePage<RoomView>('/rooms', state);
  const buildings = useQuery({ queryKey: ['/buildings'], queryFn: () => api<{ items: string[] }>('/buildings'), staleTime: 60_000 });
  const writes = useRegistryWrites('/rooms', roomInput);
  const [editing, setEditing] = useState<RoomView | 'new' | null>(null);
  const canWrite = writesRegistry(user.role);

  return (
    <ListPage
      title={t('menu.rooms')}
      testId="rooms"
      q={state.q}
      onSearch={(q) => state.update({ q })}
      onCreate={canWrite ? () => setEditing('new') : undefined}
      excel={<ExcelBar entity="rooms" filters={{ q: state.q, ...state.filters }} canImport={canWrite} />}
      filters={
        <>
          <DepartmentFilter role={user.role} value={state.filters.departmentId} onChange={(departmentId) => state.update({ departmentId })} />
          <Select
            allowClear
            placeholder={t('room.type')}
            value={state.filters.type}
            onChange={(type) => state.update({ type })}
            options={roomTypeOptions(language)}
            style={{ width: 160 }}
            data-testid="filter-room-type"
          />
          <Select
            allowClear
            showSearch
            placeholder={t('room.building')}
            value={state.filters.building}
            onChange={(building) => state.update({ building })}
            options={(buildings.data?.items ?? []).map((b) => ({ value: b, label: b }))}
            style={{ width: 180 }}
            data-testid="filter-building"
          />
        </>
      }
    >
      <Table<RoomView>
        rowKey="id"
        data-testid="rooms-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('rooms')}
        pagination={paginationOf(t, state, list.data?.total, state.update)}
        columns={[
          { title: t('room.building'), dataIndex: 'building' },
          { title: t('room.floor'), dataIndex: 'floor', width: 80 },
          { title: t('room.number'), dataIndex: 'number', width: 100 },
          { title: t('room.type'), dataIndex: 'type', render: (v: RoomView['type']) => <Tag>{roomTypeLabel(v, language)}</Tag> },
          { title: t('common.department'), dataIndex: 'departmentName' },
          { title: t('room.responsible'), dataIndex: 'responsiblePersonName', render: (v: string | null) => v ?? '—' },
          { title: t('common.notes'), dataIndex: 'notes', ellipsis: true, render: (v: string | null) => v ?? '' },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, r: RoomView) => (
                    <RowActions name={roomLabel(r)} onEdit={() => setEditing(r)} onDelete={() => writes.remove.mutate(r.id)} />
                  ),
                },
              ]
            : []),
        ]}
      />
      <EditDrawer editing={editing} titles={{ create: t('room.createTitle'), edit: t('room.editTitle') }} onClose={() => setEditing(null)}>
        {(current) => <RoomForm current={current} writes={writes} onDone={() => setEditing(null)} />}
      </EditDrawer>
    </ListPage>
  );
}

function RoomForm({
  current,
  writes,
  onDone,
}: {
  current: RoomView | null;
  writes: ReturnType<typeof useRegistryWrites<typeof roomInput>>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const user = useUser();
  const [form] = Form.useForm();
  const ownDepartmentOnly = !readsAllDepartments(user.role);
  const departmentId = Form.useWatch<number | undefined>('departmentId', form);
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={current ?? { floor: '', departmentId: ownDepartmentOnly ? (user.departmentId ?? undefined) : undefined }}
      onFinish={async (v) => (await writes.submit(form, current?.id ?? null, v)) && onDone()}
    >
      <Form.Item name="building" label={t('room.building')} rules={[{ required: true }]}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="floor" label={t('room.floor')}>
        <Input maxLength={16} />
      </Form.Item>
      <Form.Item name="number" label={t('room.number')} rules={[{ required: true }]}>
        <Input maxLength={32} />
      </Form.Item>
      <Form.Item name="type" label={t('room.type')} rules={[{ required: true }]}>
        <Select options={roomTypeOptions(language)} />
      </Form.Item>
      <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: true }]}>
        <RemoteSelect
          source="departments"
          disabled={ownDepartmentOnly}
          initialLabel={current?.departmentName ?? user.departmentName}
          onChange={() => form.setFieldValue('responsiblePersonId', null)}
        />
      </Form.Item>
      <Form.Item name="responsiblePersonId" label={t('room.responsible')}>
        <RemoteSelect source="people" departmentId={departmentId} disabled={!departmentId} initialLabel={current?.responsiblePersonName} />
      </Form.Item>
      <Form.Item name="notes" label={t('common.notes')}>
        <Input.TextArea rows={3} maxLength={500} />
      </Form.Item>
      <FormButtons saving={writes.saving} onCancel={onDone} />
    </Form>
  );
}
