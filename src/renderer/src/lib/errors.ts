import { useI18n } from 'vue-i18n';
import { LOST_CONNECTION } from '../lab-api';

/**
 * An error as the UI shows it: the renderer's own messages in the UI language; the host's messages
 * (already stripped of Electron's "Error invoking remote method" prefix) as they come.
 */
export function useErrorText() {
  const { t } = useI18n();
  return (error: unknown): string => {
    const message = error instanceof Error ? error.message : String(error);
    return message === LOST_CONNECTION ? t('connection.lostShort') : message;
  };
}
