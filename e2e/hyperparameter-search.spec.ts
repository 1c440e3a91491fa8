import { expectExport, openExperiment, pointsOf, runToCompletion, watchGrowth } from './experiment';
import { expect, test } from './fixtures';

/**
 * Fig. 6-24 end to end: the live table in the book's format, the scatter of learning rate × weight decay,
 * the grid of the best trials, and the book's step 3: brush a region on the scatter and search again there.
 */

const TRIALS = 6;
const EPOCHS = 3;

test('the search ranks its trials live and searches again in a brushed region', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'hyperparameter-search', { trials: String(TRIALS), epochs: String(EPOCHS) });
  const scatter = page.getByTestId('chart-search-scatter');
  const best = page.getByTestId('chart-search-best');
  await page.getByTestId('run-button').click();
  const seen = await watchGrowth(page, best);
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  // Every trial: train and validation accuracy at epochs 0..EPOCHS.
  await expect.poll(() => pointsOf(best)).toBe(TRIALS * 2 * (EPOCHS + 1));
  expect(seen.filter((n) => n > 0 && n < TRIALS * 2 * (EPOCHS + 1)).length).toBeGreaterThan(0);
  await expect.poll(() => pointsOf(scatter)).toBe(TRIALS);
  const rows = page.getByTestId('trial-row');
  await expect(rows).toHaveCount(TRIALS);
  await expect(rows.first()).toContainText(/^Best-1\(val acc:[\d.]+\) \| lr:[\d.e-]+, weight decay:[\d.e-]+/);
  // Sorted by validation accuracy, best first.
  const accuracies = (await rows.allInnerTexts()).map((text) => Number(/val acc:([\d.]+)/.exec(text)![1]));
  expect([...accuracies].sort((a, b) => b - a)).toEqual(accuracies);
  await expectExport(lab, 'search-scatter');

  // Step 3: brush the upper-right part of the scatter (large learning rates), then search there.
  // The mouse reaches only what is in the viewport (the concept panel sits above the charts).
  await scatter.scrollIntoViewIfNeeded();
  const box = (await scatter.boundingBox())!;
  await expect(page.getByTestId('narrow-search')).toBeDisabled();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.8, { steps: 5 });
  await page.mouse.up();
  await expect(page.getByTestId('search-region')).toBeVisible();
  await expect(page.getByTestId('narrow-search')).toBeEnabled();
  const before = Number(await page.getByTestId('param-lrMin').inputValue());
  await runToCompletion(page, 120_000, () => page.getByTestId('narrow-search').click());
  const lrMin = Number(await page.getByTestId('param-lrMin').inputValue());
  const lrMax = Number(await page.getByTestId('param-lrMax').inputValue());
  const wdMin = Number(await page.getByTestId('param-weightDecayMin').inputValue());
  const wdMax = Number(await page.getByTestId('param-weightDecayMax').inputValue());
  expect(lrMin).toBeGreaterThan(before);
  expect(lrMax).toBeGreaterThan(lrMin);
  expect(wdMax).toBeGreaterThan(wdMin);
  // The new search's trials all sit inside the region.
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await expect(page.getByTestId('trial-row')).toHaveCount(TRIALS);
  for (const text of await page.getByTestId('trial-row').allInnerTexts()) {
    const lr = Number(/lr:([\d.e-]+)/.exec(text)![1]);
    expect(lr).toBeGreaterThanOrEqual(lrMin * 0.95);
    expect(lr).toBeLessThanOrEqual(lrMax * 1.05);
  }
  await expectExport(lab, 'search-best');
});
