import { useI18n } from 'vue-i18n';
import { EXPERIMENTS, isExperimentId } from '../../../shared/experiments';
import { type Locale, LOCALES } from '../../../shared/slots/slot';

/** Parameter names in the UI language, by name; the schema's own (English) label when there is none. */
export function useLabels() {
  const { t, te, locale } = useI18n();
  const language = (): Locale =>
    (LOCALES as readonly string[]).includes(locale.value) ? (locale.value as Locale) : 'en';
  /** An experiment's text in the UI language, from its slot; an unknown id stands for itself. */
  const text = (id: string) => (isExperimentId(id) ? EXPERIMENTS[id].text[language()] : { title: id, summary: '' });
  const pick = (key: string, fallback: string) => (te(key) ? t(key) : fallback);
  return {
    param: (name: string, fallback = name) => pick(`params.${name}`, fallback),
    hyper: (name: string, fallback = name) => pick(`hp.${name}`, fallback),
    choice: (field: string, choice: string) => pick(`choices.${field}.${choice}`, choice),
    optimizer: (name: string) => pick(`optimizer.${name}`, ''),
    experimentTitle: (id: string) => text(id).title,
    experimentSummary: (id: string) => text(id).summary,
    /** Text a slot gives in every language (a concept's captions), in the UI language. */
    localized: (text: Readonly<Record<Locale, string>>) => text[language()],
    status: (status: string) => pick(`status.${status}`, status),
  };
}
