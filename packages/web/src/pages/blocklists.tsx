import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Modal, Row, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, apiFetch, apiUrl, download, errorText } from '../api/client.js';
import type { IndicatorPage } from '../api/types.js';
import { useUser } from '../auth/session.js';
import { EXPORT_CONSUMERS, pullCommand, type ExportConsumer } from '../network/export-formats.js';
import { MachineTokens } from '../network/machine-tokens.js';

const PREVIEW_LINES = 200;
const LABEL = { display: 'block', marginBottom: 4 } as const;

/** A copy-paste block with its copy button in the corner. */
function CodeBlock({ text }: { text: string }) {
  return (
    <div style={{ position: 'relative' }}>
      <pre
        style={{
          margin: 0,
          padding: '8px 32px 8px 10px',
          fontSize: 12,
          lineHeight: 1.5,
          background: '#f6f8fa',
          border: '1px solid #eaecef',
          borderRadius: 6,
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
        }}
      >
        {text}
      </pre>
      <Typography.Text copyable={{ text }} style={{ position: 'absolute', top: 6, right: 8 }} />
    </div>
  );
}

/** One consumer's list: what it is for, its stable pull URL, a download, and the lines that deploy it. */
function ExportCard({ consumer, onPreview }: { consumer: ExportConsumer; onPreview: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const path = `/intel/exports/${consumer.format}`;
  const url = `${window.location.origin}${apiUrl(path)}`;

  async function save() {
    setBusy(true);
    try {
      await download(path, undefined, consumer.download);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      size="small"
      title={t(`blocklists.consumers.${consumer.format}.name`)}
      extra={<Tag color="geekblue">{consumer.format}</Tag>}
      style={{ height: '100%' }}
      data-testid={`export-${consumer.format}`}
    >
      <Typography.Paragraph type="secondary" style={{ minHeight: 44 }}>
        {t(`blocklists.consumers.${consumer.format}.desc`)}
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<DownloadOutlined />} loading={busy} onClick={() => void save()} data-testid="export-download">
          {t('blocklists.download')}
        </Button>
        <Button icon={<EyeOutlined />} onClick={onPreview} data-testid="export-preview-open">
          {t('blocklists.preview')}
        </Button>
      </Space>
      <Typography.Text strong style={LABEL}>
        {t('blocklists.pullUrl')}
      </Typography.Text>
      <Typography.Paragraph copyable={{ text: url }} style={{ marginBottom: 8 }}>
        <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="export-url">
          {url}
        </Typography.Text>
      </Typography.Paragraph>
      <Typography.Text strong style={LABEL}>
        {t('blocklists.pullCommand')}
      </Typography.Text>
      <CodeBlock text={pullCommand(url, consumer.file)} />
      <Typography.Text strong style={{ ...LABEL, marginTop: 8 }}>
        {t('blocklists.deploy')}
      </Typography.Text>
      <CodeBlock text={consumer.hint.replaceAll('FILE', consumer.file)} />
    </Card>
  );
}

/** The first lines of an export as the server renders it now, with the list version it carries. */
function ExportPreview({ consumer, onClose }: { consumer: ExportConsumer | null; onClose: () => void }) {
  const { t } = useTranslation();
  const preview = useQuery({
    queryKey: ['/intel/exports', consumer?.format],
    enabled: consumer !== null,
    staleTime: 0,
    queryFn: async () => {
      const res = await apiFetch(`/intel/exports/${consumer!.format}`, {});
      const text = await res.text();
      const lines = text.split('\n');
      return { version: res.headers.get('x-qingling-list-version'), lines: lines.length, head: lines.slice(0, PREVIEW_LINES).join('\n') };
    },
  });
  return (
    <Modal
      open={consumer !== null}
      title={consumer ? t('blocklists.previewTitle', { name: t(`blocklists.consumers.${consumer.format}.name`) }) : ''}
      onCancel={onClose}
      footer={null}
      width={900}
      destroyOnHidden
    >
      {preview.isError && <Alert type="error" showIcon title={errorText(preview.error)} />}
      {preview.isPending && <Spin />}
      {preview.data && (
        <div data-testid="export-preview">
          <Space style={{ marginBottom: 8 }}>
            <Tag color="geekblue">{t('intel.version', { version: preview.data.version ?? '?' })}</Tag>
            <Typography.Text type="secondary">
              {t('blocklists.previewLines', { shown: Math.min(PREVIEW_LINES, preview.data.lines), total: preview.data.lines })}
            </Typography.Text>
          </Space>
          <pre
            style={{ maxHeight: 480, overflow: 'auto', margin: 0, padding: 12, fontSize: 12, background: '#f6f8fa', borderRadius: 6 }}
            data-testid="export-preview-text"
          >
            {preview.data.head}
          </pre>
        </div>
      )}
    </Modal>
  );
}

/** Measure 1 (封禁): the indicator list rendered for every DNS server, firewall and IDS the campus runs. */
export default function BlocklistsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const [previewing, setPreviewing] = useState<ExportConsumer | null>(null);
  const version = useQuery({
    queryKey: ['/intel/indicators', { pageSize: 1 }],
    queryFn: () => api<IndicatorPage>('/intel/indicators', { query: { pageSize: 1 } }),
  });
  const tab = params.get('tab') === 'tokens' ? 'tokens' : 'exports';

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu.blocklists')}
        </Typography.Title>
      }
      extra={
        version.data && (
          <Tag color="geekblue" data-testid="intel-version">
            {t('intel.version', { version: version.data.version })}
          </Tag>
        )
      }
      data-testid="blocklists-page"
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'tokens' ? { tab: key } : {})}
        items={[
          {
            key: 'exports',
            label: t('blocklists.tabExports'),
            children: (
              <>
                <Alert type="info" showIcon title={t('blocklists.intro')} style={{ marginBottom: 16 }} />
                <Row gutter={[16, 16]}>
                  {EXPORT_CONSUMERS.map((c) => (
                    <Col key={c.format} xs={24} lg={12} xxl={8}>
                      <ExportCard consumer={c} onPreview={() => setPreviewing(c)} />
                    </Col>
                  ))}
                </Row>
                <ExportPreview consumer={previewing} onClose={() => setPreviewing(null)} />
              </>
            ),
          },
          { key: 'tokens', label: t('blocklists.tabTokens'), children: <MachineTokens canWrite={user.role === 'admin'} /> },
        ]}
      />
    </Card>
  );
}
