import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorText } from '../api/client.js';
import { METER_KINDS, type MeterView } from '../api/types.js';
import { codeLabel } from '../network/labels.js';
import { FormButtons } from '../registry/list-page.js';
import { RemoteSelect } from '../registry/remote-select.js';
import { POWER_KEYS } from './power-keys.js';

interface MeterValues {
  code: string;
  name: string;
  kind: MeterView['kind'];
  building?: string | null;
  floor?: string | null;
  departmentId?: number | null;
  roomId?: number | null;
  tariff?: string | null;
  intervalMinutes: number;
}

const blankToNull = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null);

/** Create or replace a meter (logistics, the IT center); the parent meter is kept as it was. */
export function MeterForm({ current, onDone }: { current: MeterView | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<MeterValues>();
  const departmentId = Form.useWatch('departmentId', form);
  const save = useMutation({
    mutationFn: (v: MeterValues) => {
      const body = {
        code: v.code,
        name: v.name,
        kind: v.kind,
        building: blankToNull(v.building),
        floor: blankToNull(v.floor),
        departmentId: v.departmentId ?? null,
        roomId: v.roomId ?? null,
        parentId: current?.parentId ?? null,
        tariff: blankToNull(v.tariff),
        intervalMinutes: v.intervalMinutes,
      };
      return current ? api(`/power/meters/${current.id}`, { method: 'PUT', body }) : api('/power/meters', { method: 'POST', body });
    },
    onSuccess: () => {
      void message.success(t('common.saved'));
      for (const key of POWER_KEYS) void queryClient.invalidateQueries({ queryKey: [key] });
      onDone();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.issues.length) {
        const field = (path: string) => path.split(/[./]/).filter((s) => s && s !== 'body')[0] as keyof MeterValues;
        form.setFields(e.issues.map((i) => ({ name: field(i.path), errors: [t('errors.field', { detail: i.message })] })));
      }
      void message.error(errorText(e));
    },
  });
  const initial: Partial<MeterValues> = current
    ? { ...current, departmentId: current.departmentId, roomId: current.roomId }
    : { kind: 'building', intervalMinutes: 60 };

  return (
    <Form<MeterValues> form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)} data-testid="meter-form">
      <Form.Item name="code" label={t('power.code')} rules={[{ required: true, whitespace: true }]} extra={t('power.codeHint')}>
        <Input maxLength={64} data-testid="meter-code" />
      </Form.Item>
      <Form.Item name="name" label={t('power.name')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={100} data-testid="meter-name" />
      </Form.Item>
      <Form.Item name="kind" label={t('power.kind')} rules={[{ required: true }]}>
        <Select options={METER_KINDS.map((k) => ({ value: k, label: codeLabel('power.meterKinds', k) }))} />
      </Form.Item>
      <Form.Item name="building" label={t('room.building')}>
        <Input maxLength={64} data-testid="meter-building" />
      </Form.Item>
      <Form.Item name="floor" label={t('room.floor')}>
        <Input maxLength={16} />
      </Form.Item>
      <Form.Item name="departmentId" label={t('common.department')} extra={t('power.departmentHint')}>
        <RemoteSelect
          source="departments"
          initialLabel={current?.departmentName}
          onChange={() => form.setFieldsValue({ roomId: null })}
          data-testid="meter-department"
        />
      </Form.Item>
      <Form.Item name="roomId" label={t('asset.room')}>
        <RemoteSelect source="rooms" departmentId={departmentId ?? undefined} disabled={!departmentId} initialLabel={current?.room} />
      </Form.Item>
      <Form.Item name="tariff" label={t('power.tariff')}>
        <Input maxLength={64} />
      </Form.Item>
      <Form.Item name="intervalMinutes" label={t('power.interval')} rules={[{ required: true }]}>
        <Select options={[1, 5, 10, 15, 30, 60].map((m) => ({ value: m, label: t('power.minutes', { n: m }) }))} />
      </Form.Item>
      <FormButtons saving={save.isPending} onCancel={onDone} />
    </Form>
  );
}
