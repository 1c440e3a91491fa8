import { useI18n } from 'vue-i18n';

/** Parameter names in the UI language, by name; the schema's own (English) label when there is none. */
export function useLabels() {
  const { t, te } = useI18n();
  const pick = (key: string, fallback: string) => (te(key) ? t(key) : fallback);
  return {
    param: (name: string, fallback = name) => pick(`params.${name}`, fallback),
    hyper: (name: string, fallback = name) => pick(`hp.${name}`, fallback),
    choice: (field: string, choice: string) => pick(`choices.${field}.${choice}`, choice),
    optimizer: (name: string) => pick(`optimizer.${name}`, ''),
    experimentTitle: (id: string, fallback: string) => pick(`experiments.${id}.title`, fallback),
    experimentSummary: (id: string, fallback: string) => pick(`experiments.${id}.summary`, fallback),
    status: (status: string) => pick(`status.${status}`, status),
  };
}
