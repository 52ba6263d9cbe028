import { useState } from 'react';
import { Form, Input, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ROLES } from '@core/auth/role.js';
import { personInput } from '@core/org/registry.schema.js';
import type { PersonView } from '../api/types.js';
import { readsAllDepartments, useUser, writesRegistry } from '../auth/session.js';
import { useRegistryWrites } from '../registry/crud.js';
import { ExcelBar } from '../registry/excel-bar.js';
import { DepartmentFilter, FormButtons, ListPage, paginationOf, RowActions, rowTestId, EditDrawer } from '../registry/list-page.js';
import { useListState, usePage } from '../registry/list-state.js';
import { RemoteSelect } from '../registry/remote-select.js';

export default function PeoplePage() {
  const { t } = useTranslation();
  const user = useUser();
  const state = useListState(['departmentId', 'role']);
  const list = usePage<PersonView>('/people', state);
  const writes = useRegistryWrites('/people', personInput);
  const [editing, setEditing] = useState<PersonView | 'new' | null>(null);
  const canWrite = writesRegistry(user.role);
  const roleOptions = ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }));

  return (
    <ListPage
      title={t('menu.people')}
      testId="people"
      q={state.q}
      onSearch={(q) => state.update({ q })}
      onCreate={canWrite ? () => setEditing('new') : undefined}
      excel={<ExcelBar entity="people" filters={{ q: state.q, ...state.filters }} canImport={canWrite} />}
      filters={
        <>
          <DepartmentFilter role={user.role} value={state.filters.departmentId} onChange={(departmentId) => state.update({ departmentId })} />
          <Select
            allowClear
            placeholder={t('person.role')}
            value={state.filters.role}
            onChange={(role) => state.update({ role })}
            options={roleOptions}
            style={{ width: 180 }}
            data-testid="filter-role"
          />
        </>
      }
    >
      <Table<PersonView>
        rowKey="id"
        data-testid="people-table"
        loading={list.isFetching}
        dataSource={list.data?.items}
        onRow={rowTestId('people')}
        pagination={paginationOf(t, state, list.data?.total, state.update)}
        columns={[
          { title: t('person.staffNo'), dataIndex: 'staffNo', width: 120 },
          { title: t('person.name'), dataIndex: 'name' },
          { title: t('common.department'), dataIndex: 'departmentName' },
          { title: t('person.role'), dataIndex: 'role', render: (r: PersonView['role']) => <Tag>{t(`role.${r}`)}</Tag> },
          { title: t('person.phone'), dataIndex: 'phone', render: (v: string | null) => v ?? '—' },
          { title: t('person.email'), dataIndex: 'email', render: (v: string | null) => v ?? '—' },
          ...(canWrite
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 160,
                  render: (_: unknown, p: PersonView) => <RowActions name={p.name} onEdit={() => setEditing(p)} onDelete={() => writes.remove.mutate(p.id)} />,
                },
              ]
            : []),
        ]}
      />
      <EditDrawer editing={editing} titles={{ create: t('person.createTitle'), edit: t('person.editTitle') }} onClose={() => setEditing(null)}>
        {(current) => <PersonForm current={current} roleOptions={roleOptions} writes={writes} onDone={() => setEditing(null)} />}
      </EditDrawer>
    </ListPage>
  );
}

function PersonForm({
  current,
  roleOptions,
  writes,
  onDone,
}: {
  current: PersonView | null;
  roleOptions: { value: string; label: string }[];
  writes: ReturnType<typeof useRegistryWrites<typeof personInput>>;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const user = useUser();
  const [form] = Form.useForm();
  const ownDepartmentOnly = !readsAllDepartments(user.role);
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={current ?? { role: 'dept_staff', departmentId: ownDepartmentOnly ? (user.departmentId ?? undefined) : undefined }}
      onFinish={async (v) => (await writes.submit(form, current?.id ?? null, v)) && onDone()}
    >
      <Form.Item name="staffNo" label={t('person.staffNo')} rules={[{ required: true }]}>
        <Input maxLength={32} />
      </Form.Item>
      <Form.Item name="name" label={t('person.name')} rules={[{ required: true }]}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: true }]}>
        <RemoteSelect source="departments" disabled={ownDepartmentOnly} initialLabel={current?.departmentName ?? user.departmentName} />
      </Form.Item>
      <Form.Item name="role" label={t('person.role')} rules={[{ required: true }]}>
        <Select options={roleOptions} />
      </Form.Item>
      <Form.Item name="phone" label={t('person.phone')}>
        <Input maxLength={32} />
      </Form.Item>
      <Form.Item name="email" label={t('person.email')}>
        <Input maxLength={128} type="email" />
      </Form.Item>
      <FormButtons saving={writes.saving} onCancel={onDone} />
    </Form>
  );
}
