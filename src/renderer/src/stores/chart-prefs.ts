import { defineStore } from 'pinia';
import { ref } from 'vue';
import { type ChartView, DEFAULT_CHART_VIEW, chartViewOf } from '../../../shared/charts';

const STORAGE_KEY = 'dlfs-lab.chart-views';

/** Where a view is kept: the experiment and the chart's key (the same chart in a run's page and a comparison). */
export const chartViewKey = (experiment: string, chartKey: string): string => `${experiment}/${chartKey}`;

function stored(): Record<string, ChartView> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).map(([key, view]) => [key, chartViewOf(view)]));
  } catch {
    return {};
  }
}

/**
 * How the user chose to look at each line chart (smoothing, EMA weight, y axis), per experiment and
 * chart key: kept while they move between pages, and in localStorage for the next session. Charts
 * never set stay on the book's view.
 */
export const useChartPrefsStore = defineStore('chart-prefs', () => {
  const views = ref<Record<string, ChartView>>(stored());

  function view(experiment: string, chartKey: string): ChartView {
    return views.value[chartViewKey(experiment, chartKey)] ?? DEFAULT_CHART_VIEW;
  }

  function setView(experiment: string, chartKey: string, change: Partial<ChartView>): void {
    views.value[chartViewKey(experiment, chartKey)] = chartViewOf({ ...view(experiment, chartKey), ...change });
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(views.value));
    } catch {
      // Storage may be unavailable; the choice then lasts for this session.
    }
  }

  function reset(experiment: string, chartKey: string): void {
    delete views.value[chartViewKey(experiment, chartKey)];
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(views.value));
    } catch {
      // As above.
    }
  }

  return { views, view, setView, reset };
});
