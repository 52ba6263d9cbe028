import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, InputNumber, Modal, Select, Space, Switch, Table, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorText } from '../api/client.js';
import type { ReadingImportError, ReadingImportResult } from '../api/types.js';
import { codeLabel } from '../network/labels.js';
import { POWER_KEYS } from './power-keys.js';
import { rowTestId } from '../registry/list-page.js';

interface ImportOptions {
  createMeters: boolean;
  tzOffsetMinutes: number;
  cumulative: boolean;
  zeros: 'auto' | 'always' | 'never';
}

/** The cells the server refused (422 power.import_invalid), or none for any other failure. */
function refusedCells(error: unknown): ReadingImportError[] {
  return error instanceof ApiError && error.code === 'power.import_invalid' ? (error.importErrors as unknown as ReadingImportError[]) : [];
}

/**
 * Readings from an energy-management export: CSV or .xlsx, long (meter,timestamp,kwh) or wide
 * (timestamp + one column per meter). All or nothing: a refused file lists every bad cell.
 */
export function ReadingImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [form] = Form.useForm<ImportOptions>();
  const run = useMutation({
    mutationFn: ({ file, options }: { file: File; options: ImportOptions }) => {
      const body = new FormData();
      body.append('file', file);
      return api<ReadingImportResult>('/power/readings/import', { method: 'POST', query: { ...options }, body });
    },
    onSuccess: () => {
      for (const key of POWER_KEYS) void queryClient.invalidateQueries({ queryKey: [key] });
    },
  });
  const refused = refusedCells(run.error);

  function close() {
    run.reset();
    setFile(null);
    onClose();
  }

  return (
    <Modal open={open} title={t('power.importTitle')} onCancel={close} footer={null} width={820} destroyOnHidden data-testid="reading-import">
      <Typography.Paragraph type="secondary">{t('power.importHint')}</Typography.Paragraph>
      <Form<ImportOptions>
        form={form}
        layout="vertical"
        initialValues={{ createMeters: false, tzOffsetMinutes: 480, cumulative: false, zeros: 'auto' }}
        onFinish={(options) => file && run.mutate({ file, options })}
      >
        <Form.Item label={t('power.importFile')} required>
          <Upload.Dragger
            maxCount={1}
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            beforeUpload={(f) => {
              setFile(f);
              run.reset();
              return false; // sent with the options, not on pick
            }}
            onRemove={() => setFile(null)}
            fileList={file ? [{ uid: 'picked', name: file.name, status: 'done' }] : []}
            data-testid="reading-import-file"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('power.pickFile')}</p>
          </Upload.Dragger>
        </Form.Item>
        <Space size="large" wrap align="start">
          <Form.Item name="createMeters" label={t('power.createMeters')} valuePropName="checked" tooltip={t('power.createMetersHint')}>
            <Switch data-testid="reading-import-create" />
          </Form.Item>
          <Form.Item name="tzOffsetMinutes" label={t('power.tzOffset')} tooltip={t('power.tzOffsetHint')}>
            <InputNumber min={-720} max={840} step={60} style={{ width: 140 }} data-testid="reading-import-tz" />
          </Form.Item>
          <Form.Item name="cumulative" label={t('power.cumulative')} valuePropName="checked" tooltip={t('power.cumulativeHint')}>
            <Switch />
          </Form.Item>
          <Form.Item name="zeros" label={t('power.zeros')}>
            <Select style={{ width: 200 }} options={(['auto', 'always', 'never'] as const).map((v) => ({ value: v, label: t(`power.zerosModes.${v}`) }))} />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit" disabled={!file} loading={run.isPending} data-testid="reading-import-submit">
          {t('power.importRun')}
        </Button>
      </Form>
      {run.isError && refused.length === 0 && <Alert type="error" showIcon style={{ marginTop: 16 }} title={errorText(run.error)} />}
      {refused.length > 0 && (
        <div style={{ marginTop: 16 }} data-testid="reading-import-errors">
          <Alert type="error" showIcon title={t('power.importRefused', { n: refused.length })} style={{ marginBottom: 12 }} />
          <Table<ReadingImportError & { key: number }>
            size="small"
            dataSource={refused.map((e, key) => ({ ...e, key }))}
            pagination={refused.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            onRow={rowTestId('reading-import-error')}
            columns={[
              { title: t('excel.row'), dataIndex: 'line', width: 70 },
              { title: t('excel.column'), dataIndex: 'column', width: 140, render: (v: string | null) => v ?? '—' },
              { title: t('excel.reason'), dataIndex: 'code', render: (v: string) => codeLabel('power.importErrors', v) },
              { title: t('excel.value'), dataIndex: 'value', width: 220, ellipsis: true, render: (v: string | null) => v ?? '' },
            ]}
          />
        </div>
      )}
      {run.data && (
        <Alert
          style={{ marginTop: 16 }}
          type="success"
          showIcon
          data-testid="reading-import-result"
          title={t('power.importDone', {
            readings: run.data.readings,
            meters: run.data.meters,
            duplicates: run.data.duplicates,
            layout: t(`power.layouts.${run.data.layout}`),
          })}
          description={run.data.createdMeters.length ? t('power.createdMeters', { codes: run.data.createdMeters.join(', ') }) : undefined}
        />
      )}
    </Modal>
  );
}
