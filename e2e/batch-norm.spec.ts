import { expectExport, openExperiment, pointsOf, watchGrowth } from './experiment';
import { expect, test } from './fixtures';

/** Fig. 6-18/19 end to end: the grid of weight scales fills in panel by panel while the run goes. */

test('the panels of the weight scales fill in live and the grid exports as one image', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'batch-norm', { scales: '4', epochs: '3', trainSize: '200' });
  const chart = page.getByTestId('chart-batch-norm-grid');
  await page.getByTestId('run-button').click();
  const seen = await watchGrowth(page, chart);
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  // 4 scales × (with, without Batch Norm) × epochs 0..3; a plain net at std 1 may diverge and stop early.
  const points = await pointsOf(chart);
  expect(points).toBeGreaterThanOrEqual(4 * 4);
  expect(points).toBeLessThanOrEqual(4 * 2 * 4);
  expect(seen.filter((n) => n > 0 && n < points).length).toBeGreaterThan(0);
  await expectExport(lab, 'batch-norm-grid');
  await expect(page.locator('[data-testid^="export-png-"]')).toHaveCount(1);
});
