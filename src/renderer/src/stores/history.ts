import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { RunListEntry } from '../../../shared/api';
import type { RunMeta, RunRecord } from '../../../shared/runs';
import { lab } from '../lab-api';

/** The run history: the list (newest first, as the host sorts it) and the run opened from it. */
export const useHistoryStore = defineStore('history', () => {
  const entries = ref<RunListEntry[]>([]);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const opened = shallowRef<RunRecord | null>(null);
  const openedId = ref<string | null>(null);
  const openError = ref<string | null>(null);

  async function refresh(): Promise<void> {
    loading.value = true;
    try {
      entries.value = await lab.listRuns();
      error.value = null;
    } catch (caught) {
      error.value = caught instanceof Error ? caught.message : String(caught);
    } finally {
      loading.value = false;
    }
  }

  async function remove(runId: string): Promise<void> {
    await lab.deleteRun(runId);
    entries.value = entries.value.filter((e) => e.id !== runId);
    if (openedId.value === runId) {
      opened.value = null;
      openedId.value = null;
    }
  }

  /** Deletes several runs at once. */
  async function removeMany(runIds: readonly string[]): Promise<void> {
    await lab.deleteRuns([...runIds]);
    const gone = new Set(runIds);
    entries.value = entries.value.filter((e) => !gone.has(e.id));
    if (openedId.value && gone.has(openedId.value)) {
      opened.value = null;
      openedId.value = null;
    }
  }

  /** Saves a run's notes, tags and star; the list shows the saved entry. */
  async function updateMeta(runId: string, meta: RunMeta): Promise<void> {
    const entry = await lab.updateRunMeta(runId, meta);
    entries.value = entries.value.map((e) => (e.id === runId ? entry : e));
    if (openedId.value === runId && opened.value) opened.value = { ...opened.value, meta };
  }

  /** Loads a run's record (with the points streamed so far if it is still running). */
  async function open(runId: string): Promise<void> {
    if (openedId.value !== runId) opened.value = null;
    openedId.value = runId;
    openError.value = null;
    try {
      const record = await lab.getRun(runId);
      if (openedId.value === runId) opened.value = record;
    } catch (caught) {
      if (openedId.value === runId) openError.value = caught instanceof Error ? caught.message : String(caught);
    }
  }

  return { entries, loading, error, opened, openedId, openError, refresh, remove, removeMany, updateMeta, open };
});
