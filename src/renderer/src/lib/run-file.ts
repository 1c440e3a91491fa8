import { type Ref, ref, shallowRef, watch } from 'vue';
import type { RunStatus } from '../../../shared/runs';

/**
 * A file the host keeps beside a run's record (its kept nets, its recording inside the nets), read
 * once the run has ended (both are written at its end) and again for another run; a read that fails
 * leaves its error, a reply for a run no longer shown is dropped.
 */
export function useRunFile<T>(
  runId: () => string,
  status: () => RunStatus | null,
  read: (runId: string) => Promise<T | null>,
): { file: Ref<T | null>; error: Ref<unknown> } {
  const file = shallowRef<T | null>(null);
  const error = ref<unknown>(null);
  async function load(): Promise<void> {
    const id = runId();
    try {
      const found = await read(id);
      if (id !== runId()) return;
      file.value = found;
      error.value = null;
    } catch (caught) {
      if (id === runId()) error.value = caught;
    }
  }
  watch(
    [runId, () => status() === 'running'],
    ([, running]) => {
      file.value = null;
      if (!running) void load();
    },
    { immediate: true },
  );
  return { file, error };
}
