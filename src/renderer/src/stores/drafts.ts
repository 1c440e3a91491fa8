import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ExperimentId } from '../../../shared/experiments';
import { fieldsFor } from '../lib/experiment-fields';
import { type FieldValue, type FormValues, defaultFormValues, formValuesFrom } from '../lib/param-form';

/** The parameter form of each experiment as the user left it, kept while they look at other pages. */
export const useDraftsStore = defineStore('drafts', () => {
  const drafts = ref<Partial<Record<ExperimentId, FormValues>>>({});

  function values(id: ExperimentId): FormValues {
    return drafts.value[id] ?? (drafts.value[id] = defaultFormValues(id, fieldsFor(id)));
  }

  function setField(id: ExperimentId, name: string, value: FieldValue): void {
    values(id)[name] = value;
  }

  function reset(id: ExperimentId): void {
    drafts.value[id] = defaultFormValues(id, fieldsFor(id));
  }

  /** Fills the form from a run's parameters ("run again with these"). */
  function setFromParams(id: ExperimentId, params: Record<string, unknown>): void {
    drafts.value[id] = formValuesFrom(id, fieldsFor(id), params);
  }

  return { drafts, values, setField, reset, setFromParams };
});
