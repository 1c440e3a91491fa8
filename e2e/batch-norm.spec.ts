import { expectExport, openExperiment, pointsOf, runToCompletion, watchGrowth } from './experiment';
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

/** The panels a chart's accessible description names, in order ("Panels: W:1, W:0.541, ..."). */
async function panelsOf(page: import('@playwright/test').Page, key: string): Promise<string[]> {
  const label = (await page.getByTestId(`chart-${key}`).getAttribute('aria-label')) ?? '';
  const listed = /Panels: (.*)\.$/.exec(label)?.[1];
  return listed ? listed.split(', ') : [];
}

// Issue 16: the plain nets at std 1 and 0.541 diverge in epoch 1; the grid drew 19 panels (the window's
// pow differs from the worker's in the last bit) and the diverged curves not at all.
test('the book’s run at 4 epochs, where two plain nets diverge, draws 16 panels with unique titles, live and reopened', async ({
  lab,
}) => {
  const { page } = lab;
  await openExperiment(page, 'batch-norm', { epochs: '4' });
  await runToCompletion(page);
  const expected = ['W:1', 'W:0.541', 'W:0.293', 'W:0.158', 'W:0.0858', 'W:0.0464', 'W:0.0251', 'W:0.0136'];
  const live = await panelsOf(page, 'batch-norm-grid');
  expect(live).toHaveLength(16);
  expect(new Set(live).size).toBe(16);
  expect(live.slice(0, 8)).toEqual(expected);
  expect(live.at(-1)).toBe('W:0.0001');
  // Every point of the 32 nets is drawn: 16 × 5 with Batch Norm, 14 × 5 plain, 2 × 1 before diverging.
  expect(await pointsOf(page.getByTestId('chart-batch-norm-grid'))).toBe(152);

  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-open').first().click();
  await expect.poll(() => panelsOf(page, 'batch-norm-grid')).toEqual(live);
  // The summary lists every scale, each row visible, and says where the two plain nets diverged.
  const rows = page.getByTestId('run-summary').locator('tbody tr');
  await expect(rows).toHaveCount(16);
  const hidesRows = await page
    .getByTestId('run-summary')
    .locator('.summary')
    .evaluate((box) => box.scrollHeight > box.clientHeight + 1);
  expect(hidesRows, 'the summary hides rows behind a scroll bar').toBe(false);
  await expect(page.getByTestId('run-summary').locator('thead')).toContainText('without: diverged at epoch');
});
