import { useState } from 'react';
import { Form, Input, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { departmentInput } from '@core/org/registry.schema.js';
import type { DepartmentView } from '../api/types.js';
import { useUser } from '../auth/session.js';
import { useRegistryWrites } from '../registry/crud.js';
import { ExcelBar } from '../registry/excel-bar.js';
import { FormButtons, ListPage, paginationOf, RowActions, rowTestId, EditDrawer } from '../registry/list-page.js';
import { useListState, usePage } from '../registry/list-state.js';
import { RemoteSelect } from '../registry/remote-select.js';

export default function DepartmentsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const state = useListState([]);
  const list = usePage<DepartmentView>('/departments', state);
  const writes = useRegistryWrites('/departments', departmentInput);
  const [editing, setEditing] = useState<DepartmentView | 'new' | null>(null);
  // Departments themselves are the IT center's to create and remove.
  const isAdmin = user.role === 'admin';

  return (
    <ListPage
      title={t('menu.departments')}
      testId="departments"
      q={state.q}
      onSearch={(q) => state.update({ q })}
      onCreate={isAdmin ? () => setEditing('new') : undefined}
      excel={<ExcelBar entity="departments" filters={{ q: state.q }} canImport={isAdmin} />}
    >
      <Table<DepartmentView>
        rowKey="id"
        data-testid="departments-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('departments')}
        pagination={paginationOf(t, state, list.data?.total, state.update)}
        columns={[
          { title: t('department.code'), dataIndex: 'code', width: 120 },
          { title: t('department.name'), dataIndex: 'name' },
          { title: t('department.head'), dataIndex: 'headPersonName', render: (v: string | null) => v ?? '—' },
          { title: t('department.people'), dataIndex: ['counts', 'people'], align: 'right' },
          { title: t('department.rooms'), dataIndex: ['counts', 'rooms'], align: 'right' },
          { title: t('department.assets'), dataIndex: ['counts', 'assets'], align: 'right' },
          {
            title: t('department.missing'),
            dataIndex: ['counts', 'assetsWithoutResponsible'],
            align: 'right',
            render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : 0),
          },
          ...(isAdmin
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, d: DepartmentView) => (
                    <RowActions name={d.name} onEdit={() => setEditing(d)} onDelete={() => writes.remove.mutate(d.id)} />
                  ),
                },
              ]
            : []),
        ]}
      />
      <EditDrawer editing={editing} titles={{ create: t('department.createTitle'), edit: t('department.editTitle') }} onClose={() => setEditing(null)}>
        {(current) => <DepartmentForm current={current} writes={writes} onDone={() => setEditing(null)} />}
      </EditDrawer>
    </ListPage>
  );
}

function DepartmentForm({
  current,
  writes,
  onDone,
}: {
  current: DepartmentView | null;
  writes: ReturnType<typeof useRegistryWrites<typeof departmentInput>>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={current ? { code: current.code, name: current.name, headPersonId: current.headPersonId } : {}}
      onFinish={async (v) => (await writes.submit(form, current?.id ?? null, v)) && onDone()}
    >
      <Form.Item name="code" label={t('department.code')} rules={[{ required: true }]}>
        <Input maxLength={32} />
      </Form.Item>
      <Form.Item name="name" label={t('department.name')} rules={[{ required: true }]}>
        <Input maxLength={100} />
      </Form.Item>
      {/* The head is one of the department's people, so it can be named once the department exists. */}
      {current && (
        <Form.Item name="headPersonId" label={t('department.head')}>
          <RemoteSelect source="people" departmentId={current.id} initialLabel={current.headPersonName} />
        </Form.Item>
      )}
      <FormButtons saving={writes.saving} onCancel={onDone} />
    </Form>
  );
}
