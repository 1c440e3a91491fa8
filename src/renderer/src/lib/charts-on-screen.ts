/**
 * The charts on screen, for "export the chart in view" (the File menu and Ctrl/Cmd+Shift+E): each
 * chart registers its element and its PNG export while it is mounted.
 */
export interface ChartOnScreen {
  element: HTMLElement;
  exportPng(): Promise<void>;
}

const charts = new Set<ChartOnScreen>();

/** Registers a chart; the returned function unregisters it. */
export function registerChart(chart: ChartOnScreen): () => void {
  charts.add(chart);
  return () => charts.delete(chart);
}

/** How much of an element the viewport shows, in square pixels; minus its distance when it shows none. */
function visibility(element: HTMLElement): number {
  const box = element.getBoundingClientRect();
  const width = Math.min(box.right, window.innerWidth) - Math.max(box.left, 0);
  const height = Math.min(box.bottom, window.innerHeight) - Math.max(box.top, 0);
  if (width > 0 && height > 0) return width * height;
  return -(Math.max(0, -width) + Math.max(0, -height));
}

/**
 * The chart that holds the keyboard focus, else the one the viewport shows most of, else (none shows:
 * the page is scrolled past them) the nearest one.
 */
export function chartInView(): ChartOnScreen | undefined {
  const focused = [...charts].find((chart) => chart.element.contains(document.activeElement));
  if (focused) return focused;
  let best: ChartOnScreen | undefined;
  let bestScore = -Infinity;
  for (const chart of charts) {
    const score = visibility(chart.element);
    if (score > bestScore) [best, bestScore] = [chart, score];
  }
  return best;
}

/** Exports the chart in view as PNG (Electron: a save dialog; a browser: a download); false if the page has none. */
export function exportChartInView(): boolean {
  const chart = chartInView();
  if (!chart) return false;
  void chart.exportPng();
  return true;
}
