import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LabInfo } from '../../../shared/api';
import { type ConnectionState, lab, labConnection } from '../lab-api';

/** What the lab host says about itself: backend, dataset folder, which host; and whether it is still there. */
export const useLabStore = defineStore('lab', () => {
  const info = ref<LabInfo | null>(null);
  const error = ref<string | null>(null);
  const connection = ref<ConnectionState>(labConnection.state);
  labConnection.onChange((state) => {
    connection.value = state;
  });

  const backend = computed(() => info.value?.backend ?? null);
  const host = computed(() => info.value?.host ?? null);

  async function refresh(): Promise<void> {
    try {
      info.value = await lab.info();
      error.value = null;
    } catch (caught) {
      error.value = caught instanceof Error ? caught.message : String(caught);
    }
  }

  let polls = 0;
  /** The worker reports its backend once it has loaded; ask again until it has (up to two minutes). */
  async function start(): Promise<void> {
    await refresh();
    const poll = () => {
      if (info.value?.backend || connection.value === 'lost' || ++polls > 120) return;
      setTimeout(() => void refresh().then(poll), 1000);
    };
    poll();
  }

  /** A run said which backend it uses. */
  function noteBackend(name: string): void {
    if (info.value && info.value.backend !== name) info.value = { ...info.value, backend: name };
  }

  /** Electron: opens the folder picker; web: uses the typed path. False when the picker was cancelled. */
  async function chooseDatasetDir(typedPath?: string): Promise<boolean> {
    const next = await lab.chooseDatasetDir(typedPath);
    if (next) info.value = next;
    return next !== null;
  }

  async function resetDatasetDir(): Promise<void> {
    info.value = await lab.resetDatasetDir();
  }

  async function setMaxConcurrentRuns(count: number): Promise<void> {
    info.value = await lab.setMaxConcurrentRuns(count);
  }

  async function setTrialQueue(url: string | null): Promise<void> {
    info.value = await lab.setTrialQueue(url);
  }

  return {
    info,
    error,
    connection,
    backend,
    host,
    start,
    refresh,
    noteBackend,
    chooseDatasetDir,
    resetDatasetDir,
    setMaxConcurrentRuns,
    setTrialQueue,
  };
});
