import { expectExport, openExperiment, pointsOf, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/** Fig. 6-10/11/13/14 end to end: one histogram per layer, then the activation × init grid. */

test('a row of per-layer histograms, then every activation × init at once', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'init-activations', { samples: '200' });
  await runToCompletion(page, 60_000);
  // sigmoid, std 1: 5 layers × 30 bins.
  const row = page.getByTestId('chart-histograms-sigmoid-1');
  await expect.poll(() => pointsOf(row)).toBe(5 * 30);
  await expect(page.getByTestId('run-log')).toContainText('saturated');
  await expectExport(lab, 'histograms-sigmoid-1');

  // The full-range option and the grid: 3 activations × 4 inits × 5 layers, each its own histogram.
  await openExperiment(page, 'init-activations', { grid: true, range: 'full', bins: '20' });
  await runToCompletion(page, 60_000);
  const grid = page.getByTestId('chart-histogram-grid');
  await expect.poll(() => pointsOf(grid)).toBe(3 * 4 * 5 * 20);
  await expect(page.getByTestId('chart-histograms-sigmoid-1')).toHaveCount(0);
  await expectExport(lab, 'histogram-grid');
});

test('a tanh row with Xavier weights reopens from History', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'init-activations', { activation: 'tanh', init: 'xavier', samples: '100', layers: '3' });
  await runToCompletion(page, 60_000);
  await expect.poll(() => pointsOf(page.getByTestId('chart-histograms-tanh-xavier'))).toBe(3 * 30);
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await expect.poll(() => pointsOf(page.getByTestId('chart-histograms-tanh-xavier'))).toBe(3 * 30);
});
