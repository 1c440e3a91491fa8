import { expectExport, openExperiment, pointsOf, runToCompletion, watchGrowth } from './experiment';
import { expect, test } from './fixtures';

/** Fig. 6-15 end to end: std 0.01 / Xavier / He loss curves on the optimizers' loss chart, y up to 2.5. */

test('three weight inits stream their losses into one chart', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'init-mnist', { iterations: '300' });
  await expect(page.getByTestId('param-inits')).toHaveValue('0.01,xavier,he');
  const chart = page.getByTestId('chart-loss');
  await page.getByTestId('run-button').click();
  const seen = await watchGrowth(page, chart);
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  await expect.poll(() => pointsOf(chart)).toBe(3 * 300);
  // The chart grew while the run went (more than one partial count before the end).
  expect(seen.filter((n) => n > 0 && n < 3 * 300).length).toBeGreaterThan(0);
  // The book's claim, checked on this run beside its figure: std 0.01 does not learn.
  const stuck = page.locator('[data-testid="claim"][data-claim-id="small-std-stuck"]');
  await expect(stuck).toHaveAttribute('data-holds', 'true');
  await expect(stuck).toContainText(/loss 2\.\d\d after 300 iterations/);
  await expectExport(lab, 'loss');
});

test('the list of inits takes numbers and names, and names a bad item', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'init-mnist', { iterations: '20' });
  await page.getByTestId('param-inits').fill('0.01,kaiming');
  await expect(page.getByTestId('error-inits')).toContainText(/item 2: .*xavier/);
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await page.getByTestId('param-inits').fill('0.05, HE');
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await runToCompletion(page, 60_000);
  await expect.poll(() => pointsOf(page.getByTestId('chart-loss'))).toBe(2 * 20);
  await expect(page.getByTestId('run-log')).toBeVisible();
});
