import { useRef, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Modal, Space, Table, Typography } from 'antd';
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, download, errorText, type ImportError } from '../api/client.js';
import type { ImportResult } from '../api/types.js';
import { useLanguage } from '../i18n/locale-provider.js';
import { rowTestId } from './list-page.js';

export type RegistryEntity = 'departments' | 'people' | 'rooms' | 'assets';

/** The registry's lists, invalidated together after an import touches any of them. */
export const REGISTRY_PATHS = ['/departments', '/people', '/rooms', '/assets', '/overview', '/buildings', '/audit'];

interface ExcelBarProps {
  entity: RegistryEntity;
  /** The list's current filters: the export honours them. */
  filters: Record<string, string | number | undefined>;
  canImport: boolean;
}

/** Template download, all-or-nothing import with an error table, and export of the filtered list. */
export function ExcelBar({ entity, filters, canImport }: ExcelBarProps) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const [errors, setErrors] = useState<ImportError[] | null>(null);

  const importFile = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api<ImportResult>('/registry/import', { method: 'POST', body: form });
    },
    onSuccess: ({ imported }) => {
      void message.success(t('excel.imported', imported));
      for (const p of REGISTRY_PATHS) void queryClient.invalidateQueries({ queryKey: [p] });
    },
    onError: (e) => {
      if (e instanceof ApiError && e.importErrors.length) setErrors(e.importErrors);
      else void message.error(errorText(e));
    },
  });

  const run = (p: Promise<void>) => p.catch((e: unknown) => void message.error(errorText(e)));

  return (
    <Space wrap>
      <Button
        icon={<FileExcelOutlined />}
        onClick={() => void run(download('/registry/template.xlsx', { locale: language }, 'qingling-template.xlsx'))}
        data-testid="template-button"
      >
        {t('excel.template')}
      </Button>
      {canImport && (
        <>
          <Button icon={<UploadOutlined />} loading={importFile.isPending} onClick={() => fileInput.current?.click()} data-testid="import-button">
            {importFile.isPending ? t('excel.importing') : t('excel.import')}
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            style={{ display: 'none' }}
            data-testid="import-file"
            aria-label={t('excel.import')}
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = ''; // choosing the same file again must fire again
              if (file) importFile.mutate(file);
            }}
          />
        </>
      )}
      <Button
        icon={<DownloadOutlined />}
        onClick={() => void run(download('/registry/export.xlsx', { entity, locale: language, ...filters }, `qingling-${entity}.xlsx`))}
        data-testid="export-button"
      >
        {t('excel.export')}
      </Button>
      <ImportErrors errors={errors} onClose={() => setErrors(null)} />
    </Space>
  );
}

function ImportErrors({ errors, onClose }: { errors: ImportError[] | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  return (
    <Modal
      open={errors !== null}
      title={t('errors.import.invalid')}
      onCancel={onClose}
      onOk={onClose}
      width={860}
      cancelButtonProps={{ style: { display: 'none' } }}
      // Shown at once, no zoom: the error list is what a screenshot or a browser test must catch.
      transitionName=""
      maskTransitionName=""
    >
      <Typography.Paragraph type="danger">{t('excel.errorsTitle')}</Typography.Paragraph>
      <Table<ImportError & { key: number }>
        data-testid="import-errors"
        size="small"
        pagination={errors && errors.length > 10 ? { pageSize: 10 } : false}
        dataSource={(errors ?? []).map((e, i) => ({ ...e, key: i }))}
        onRow={rowTestId('import-error')}
        columns={[
          { title: t('excel.sheet'), dataIndex: 'sheet', width: 110 },
          { title: t('excel.row'), dataIndex: 'row', width: 70 },
          {
            title: t('excel.column'),
            dataIndex: 'column',
            width: 150,
            render: (c: ImportError['column']) => (c ? `${c.letter} · ${c.header}` : ''),
          },
          { title: t('excel.reason'), key: 'reason', render: (_, e) => (language === 'zh-CN' ? e.message_zh : e.message_en) },
          {
            title: t('excel.value'),
            dataIndex: 'value',
            width: 160,
            ellipsis: true,
            render: (v: string | null) => v ?? '',
          },
        ]}
      />
    </Modal>
  );
}
