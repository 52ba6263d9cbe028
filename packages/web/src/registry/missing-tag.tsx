import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Measure 4: a networked computer without a named responsible person is flagged wherever it is listed. */
export function MissingResponsibleTag() {
  const { t } = useTranslation();
  return (
    <Tag color="red" data-testid="missing-responsible">
      {t('asset.missingResponsible')}
    </Tag>
  );
}
