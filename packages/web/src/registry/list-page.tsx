import type { ReactNode } from 'react';
import { Button, Card, Drawer, Input, Popconfirm, Space, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { readsAllDepartments } from '../auth/session.js';
import type { Role } from '../api/types.js';
import { RemoteSelect } from './remote-select.js';

interface ListPageProps {
  title: string;
  testId: string;
  q: string;
  /** Without it there is no search box (a list the server does not search). */
  onSearch?: ((q: string) => void) | undefined;
  filters?: ReactNode;
  onCreate?: (() => void) | undefined;
  excel: ReactNode;
  children: ReactNode;
}

/** The frame every registry list shares: title, search, filters, create, Excel, then the table. */
export function ListPage({ title, testId, q, onSearch, filters, onCreate, excel, children }: ListPageProps) {
  const { t } = useTranslation();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {title}
        </Typography.Title>
      }
      extra={excel}
      data-testid={`${testId}-page`}
    >
      <Space wrap style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          {onSearch && (
            <Input.Search
              key={q /* reset the box when the URL's q changes elsewhere */}
              defaultValue={q}
              allowClear
              placeholder={t('common.searchPlaceholder')}
              enterButton={t('common.search')}
              onSearch={onSearch}
              style={{ width: 300 }}
              aria-label={t('common.search')}
              data-testid={`${testId}-search` /* on the wrapper; the <input> is inside */}
            />
          )}
          {filters}
        </Space>
        {onCreate && (
          <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid={`${testId}-create`}>
            {t('common.create')}
          </Button>
        )}
      </Space>
      {children}
    </Card>
  );
}

/** Department filter, shown only to roles that see more than their own department. */
export function DepartmentFilter({ role, value, onChange }: { role: Role; value: string | undefined; onChange: (v: number | undefined) => void }) {
  const { t } = useTranslation();
  if (!readsAllDepartments(role)) return null;
  return (
    <RemoteSelect
      source="departments"
      placeholder={t('common.allDepartments')}
      value={value ? Number(value) : undefined}
      onChange={(v) => onChange(v ?? undefined)}
      style={{ width: 220 }}
      data-testid="filter-department"
    />
  );
}

export function RowActions({ name, onEdit, onDelete }: { name: string; onEdit: () => void; onDelete: () => void }) {
  const { t } = useTranslation();
  return (
    <Space size={0}>
      <Button type="link" size="small" icon={<EditOutlined />} onClick={onEdit}>
        {t('common.edit')}
      </Button>
      <Popconfirm title={t('common.confirmDelete', { name })} onConfirm={onDelete} okButtonProps={{ danger: true }}>
        <Button type="link" size="small" danger icon={<DeleteOutlined />}>
          {t('common.delete')}
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** Row attributes for e2e tests: every row of a list carries `<entity>-row`. */
export function rowTestId(testId: string) {
  return () => ({ 'data-testid': `${testId}-row` }) as React.HTMLAttributes<HTMLElement>;
}

export function paginationOf(
  t: (k: string, o?: Record<string, unknown>) => string,
  state: { page: number; pageSize: number },
  total: number | undefined,
  update: (c: Record<string, number>) => void,
) {
  return {
    current: state.page,
    pageSize: state.pageSize,
    total: total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100],
    showTotal: (n: number) => t('common.total', { total: n }),
    onChange: (page: number, pageSize: number) => update(pageSize !== state.pageSize ? { page: 1, pageSize } : { page, pageSize }),
  };
}

export function FormButtons({ saving, onCancel }: { saving: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <Space>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="form-save">
        {t('common.save')}
      </Button>
      <Button onClick={onCancel}>{t('common.cancel')}</Button>
    </Space>
  );
}

/**
 * The create/edit drawer every registry page has: open while `editing` is a row or 'new', the
 * form rendered fresh each time (destroyOnHidden) with the row or null.
 */
export function EditDrawer<T>({
  editing,
  titles,
  size = 480,
  onClose,
  children,
}: {
  editing: T | 'new' | null;
  titles: { create: string; edit: string };
  size?: number;
  onClose: () => void;
  children: (current: T | null) => ReactNode;
}) {
  return (
    <Drawer open={editing !== null} title={editing && editing !== 'new' ? titles.edit : titles.create} size={size} onClose={onClose} destroyOnHidden>
      {editing && children(editing === 'new' ? null : editing)}
    </Drawer>
  );
}
