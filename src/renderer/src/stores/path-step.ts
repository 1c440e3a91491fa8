import { defineStore } from 'pinia';
import { ref } from 'vue';

/**
 * Fig. 6-8's step slider on the optimizer-paths page: the step it points at (null: no slider, the
 * book's figure). The slider sets it; the page's paths charts mark every path at that step.
 */
export const usePathStepStore = defineStore('path-step', () => {
  const step = ref<number | null>(null);
  function set(value: number | null): void {
    step.value = value;
  }
  return { step, set };
});
