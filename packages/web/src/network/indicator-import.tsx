import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Select, Table, Tabs, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../api/client.js';
import { INDICATOR_CATEGORIES, type IndicatorCategory, type IntelImportResult } from '../api/types.js';
import { codeLabel } from './labels.js';

type Source = { kind: 'file'; file: File; category: IndicatorCategory; source?: string } | { kind: 'url'; url: string; category: IndicatorCategory };

function categoryOptions() {
  return INDICATOR_CATEGORIES.map((c) => ({ value: c, label: codeLabel('intel.categories', c) }));
}

/** Import a published list (plain, hosts or Adblock lines) from a file or a URL; shows what was taken and what was skipped. */
export function IndicatorImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileForm] = Form.useForm<{ category: IndicatorCategory; source?: string }>();
  const [urlForm] = Form.useForm<{ url: string; category: IndicatorCategory }>();
  const run = useMutation({
    mutationFn: (s: Source) => {
      if (s.kind === 'url') return api<IntelImportResult>('/intel/import-url', { method: 'POST', body: { url: s.url, category: s.category } });
      const form = new FormData();
      form.append('file', s.file);
      return api<IntelImportResult>('/intel/import', { method: 'POST', query: { category: s.category, source: s.source }, body: form });
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['/intel/indicators'] }),
  });
  const result = run.data;

  function close() {
    run.reset();
    setFile(null);
    onClose();
  }

  return (
    <Modal open={open} title={t('intel.importTitle')} onCancel={close} footer={null} width={760} destroyOnHidden data-testid="intel-import">
      <Typography.Paragraph type="secondary">{t('intel.importHint')}</Typography.Paragraph>
      <Tabs
        items={[
          {
            key: 'file',
            label: t('intel.importFile'),
            children: (
              <Form form={fileForm} layout="vertical" initialValues={{ category: 'pool' }} onFinish={(v) => file && run.mutate({ kind: 'file', file, ...v })}>
                <Form.Item label={t('intel.file')} required>
                  <Upload.Dragger
                    maxCount={1}
                    accept=".txt,.list,.hosts,.conf,text/plain"
                    beforeUpload={(f) => {
                      setFile(f);
                      return false; // sent with the form, not on pick
                    }}
                    onRemove={() => setFile(null)}
                    fileList={file ? [{ uid: 'picked', name: file.name, status: 'done' }] : []}
                    data-testid="intel-import-file"
                  >
                    <p className="ant-upload-drag-icon">
                      <InboxOutlined />
                    </p>
                    <p className="ant-upload-text">{t('intel.pickFile')}</p>
                  </Upload.Dragger>
                </Form.Item>
                <Form.Item name="category" label={t('intel.category')} rules={[{ required: true }]}>
                  <Select options={categoryOptions()} />
                </Form.Item>
                <Form.Item name="source" label={t('intel.source')} extra={t('intel.sourceHint')}>
                  <Input maxLength={200} />
                </Form.Item>
                <Button type="primary" htmlType="submit" disabled={!file} loading={run.isPending} data-testid="intel-import-submit">
                  {t('intel.importRun')}
                </Button>
              </Form>
            ),
          },
          {
            key: 'url',
            label: t('intel.importUrl'),
            children: (
              <Form form={urlForm} layout="vertical" initialValues={{ category: 'pool' }} onFinish={(v) => run.mutate({ kind: 'url', ...v })}>
                <Form.Item name="url" label="URL" rules={[{ required: true, type: 'url' }]} extra={t('intel.urlHint')}>
                  <Input placeholder="https://…/pools.txt" data-testid="intel-import-url" />
                </Form.Item>
                <Form.Item name="category" label={t('intel.category')} rules={[{ required: true }]}>
                  <Select options={categoryOptions()} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={run.isPending}>
                  {t('intel.importRun')}
                </Button>
              </Form>
            ),
          },
        ]}
      />
      {run.isError && <Alert type="error" showIcon style={{ marginTop: 16 }} title={errorText(run.error)} />}
      {result && (
        <div style={{ marginTop: 16 }} data-testid="intel-import-result">
          <Alert
            type={result.skipped ? 'warning' : 'success'}
            showIcon
            title={t('intel.importDone', { imported: result.imported, skipped: result.skipped, version: result.version })}
          />
          {result.skippedLines.length > 0 && (
            <>
              <Typography.Paragraph type="secondary" style={{ margin: '12px 0 8px' }}>
                {t('intel.skippedLines', { shown: result.skippedLines.length, total: result.skipped })}
              </Typography.Paragraph>
              <Table
                size="small"
                rowKey="line"
                dataSource={result.skippedLines}
                pagination={result.skippedLines.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                columns={[
                  { title: t('excel.row'), dataIndex: 'line', width: 80 },
                  { title: t('intel.lineText'), dataIndex: 'text', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
                ]}
              />
            </>
          )}
        </div>
      )}
    </Modal>
  );
}
