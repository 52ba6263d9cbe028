import { useQuery } from '@tanstack/react-query';
import { Select, Space, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import type { PowerSensitivity, SensitivityLevels } from '../api/types.js';

const percent = (x: number) => `${Math.round(x * 100)}%`;

/**
 * Picks how readily the next analysis alarms. Each level shows what it did on the held-out evaluation,
 * so whoever runs it knows how many on-site checks to expect; the campus's own level is preselected and marked.
 */
export function SensitivitySelect({ value, onChange }: { value: PowerSensitivity | undefined; onChange: (level: PowerSensitivity) => void }) {
  const { t } = useTranslation();
  const levels = useQuery({ queryKey: ['/power/sensitivity'], queryFn: () => api<SensitivityLevels>('/power/sensitivity'), staleTime: Infinity });
  const campus = levels.data?.sensitivity;
  return (
    <Space size={4}>
      <Typography.Text type="secondary">{t('power.sensitivity')}</Typography.Text>
      <Select<PowerSensitivity>
        value={value ?? campus}
        onChange={onChange}
        loading={levels.isLoading}
        style={{ width: 170 }}
        popupMatchSelectWidth={false}
        data-testid="power-sensitivity"
        options={(levels.data?.levels ?? []).map((l) => ({
          value: l.level,
          label: `${t(`power.sensitivities.${l.level}`)}${l.level === campus ? t('power.sensitivityCampus') : ''}`,
          figures: t('power.sensitivityFigures', {
            fa: l.falseAlarmsPer100MeterMonths.toFixed(1),
            big: percent(l.recallHalfNightBase),
            small: percent(l.recallQuarterNightBase),
            hours: l.medianHoursToDetect,
          }),
        }))}
        optionRender={(option) => (
          <div style={{ maxWidth: 420, whiteSpace: 'normal' }} data-testid={`power-sensitivity-${option.value}`}>
            <div>{option.label}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {(option.data as { figures: string }).figures}
            </Typography.Text>
          </div>
        )}
      />
      <Tooltip title={t('power.sensitivityHint')}>
        <QuestionCircleOutlined style={{ color: 'rgba(0,0,0,0.45)' }} />
      </Tooltip>
    </Space>
  );
}
