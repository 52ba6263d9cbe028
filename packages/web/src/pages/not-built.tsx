import { Card, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Capability } from '../layout/capabilities.js';

/** A capability whose page does not exist yet: says so and names the measure it will serve. */
export default function NotBuiltPage({ capability }: { capability: Capability }) {
  const { t } = useTranslation();
  return (
    <Card title={t(`menu.${capability.label}`)}>
      <Result
        status="info"
        title={t('notBuilt.title')}
        subTitle={t('notBuilt.serves', { measure: t(`measure.${capability.measure}`) })}
        data-testid="not-built"
      />
    </Card>
  );
}
