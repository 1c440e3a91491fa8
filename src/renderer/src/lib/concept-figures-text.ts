import { useI18n } from 'vue-i18n';
import type { MessageSchema } from '../i18n/en';

/** The concept figures' text (i18n `conceptFigures`): Fig. 6-16's network, Fig. 6-22's dropout, Fig. 6-8's slider. */
type Messages = MessageSchema['conceptFigures'];
export type ConceptSection = keyof Messages;

/** `t(key, named)` for one section of the concept figures' text, in the UI language. */
export function useConceptText<S extends ConceptSection>(section: S) {
  const { t } = useI18n();
  return (key: keyof Messages[S] & string, named: Record<string, string | number> = {}): string =>
    t(`conceptFigures.${section}.${key}`, named);
}
