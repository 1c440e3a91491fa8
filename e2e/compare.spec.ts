import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { pointsOf, runToCompletion } from './experiment';
import { ROOT } from './paths';

/**
 * Issue 9: runs that differ in one setting, side by side; notes and tags kept with a run; a page's
 * address that carries its parameters.
 */

/** Opens an address of the lab (the experiment's parameters in its query) and runs it to the end. */
async function runAt(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await runToCompletion(page, 60_000);
}

async function openHistory(page: Page): Promise<void> {
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row').first()).toBeVisible();
}

test('two optimizers-mnist runs at different lr, compared: only lr differs, both runs are drawn', async ({
  lab,
}, testInfo) => {
  const { page } = lab;
  await runAt(page, '#/experiment/optimizers-mnist?iterations=200&optimizers=SGD&optimizers.SGD.lr=0.1');
  await expect(page.getByTestId('param-iterations')).toHaveValue('200');
  await runAt(page, '#/experiment/optimizers-mnist?iterations=200&optimizers=SGD');

  await openHistory(page);
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  await expect(page.getByTestId('history-compare')).toBeDisabled();
  await expect(page.getByTestId('history-changes').first()).toContainText('iterations 200');
  for (const box of await page.getByTestId('history-select').all()) await box.check();
  await page.getByTestId('history-compare').click();

  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('compare-param-row')).toHaveCount(1);
  await expect(page.getByTestId('compare-param-row')).toHaveAttribute('data-path', 'optimizers.SGD.lr');
  await expect(page.getByTestId('compare-run-name')).toHaveText(['optimizers.SGD.lr 0.01', 'optimizers.SGD.lr 0.1']);
  const chart = page.getByTestId('chart-loss');
  await expect.poll(() => pointsOf(chart)).toBe(2 * 200);
  await expect(page.getByTestId('compare-result-row').first()).toContainText('SGD loss');

  // The README's screenshot of a comparison: DLFS_README_SCREENSHOT=1 npm run test:e2e refreshes it.
  const shots = process.env.DLFS_README_SCREENSHOT ? path.join(ROOT, 'docs', 'images') : testInfo.outputDir;
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.screenshot({
    path: path.join(shots, testInfo.project.name === 'web' ? 'compare.png' : 'compare-electron.png'),
  });

  await page.getByTestId('compare-show-all').check();
  expect(await page.getByTestId('compare-param-row').count()).toBeGreaterThan(5);
  // One run hidden: the chart draws the other only.
  await page.getByTestId('compare-run-toggle').first().uncheck();
  await expect.poll(() => pointsOf(chart)).toBe(200);

  // The comparison has an address of its own: a reload keeps it.
  const address = await page.evaluate(() => location.hash);
  expect(address).toMatch(/^#\/compare\/[\w-]+,[\w-]+$/);
  await lab.reload();
  await expect(page.getByTestId('compare-param-row')).toHaveCount(1);
});

test('a note and tags saved on a run survive a reload and find it again', async ({ lab }) => {
  const { page } = lab;
  await runAt(page, '#/experiment/optimizer-paths?steps=5');
  await runAt(page, '#/experiment/optimizer-paths?steps=6');
  await openHistory(page);
  const first = page.getByTestId('history-row').last();
  await first.getByTestId('history-edit-notes').click();
  await page.getByTestId('run-meta-notes').fill('Momentum overshoots the valley');
  await page.getByTestId('run-meta-tags').fill('paths, overshoot');
  await page.getByTestId('run-meta-save').click();
  await expect(page.getByTestId('run-meta-editor')).toHaveCount(0);

  await lab.reload();
  await openHistory(page);
  // Issue 16: in a 1280 px window every column is in sight, and the bundled dataset is named as such.
  expect(page.viewportSize()?.width).toBe(1280);
  const lastColumnEdge = () =>
    page
      .locator('table thead th')
      .last()
      .evaluate((th) => th.getBoundingClientRect().right);
  expect(await lastColumnEdge()).toBeLessThanOrEqual(1280);
  await expect(page.getByTestId('history-dataset').first()).toHaveText('bundled MNIST');
  // A hidden column comes back from the Columns menu, reached by Tab, and stays shown after a reload.
  await expect(page.getByTestId('history-sort-seed')).toHaveCount(0);
  await page.getByTestId('history-columns').locator('summary').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('history-column-duration')).toBeFocused();
  await page.getByTestId('history-column-seed').check();
  await expect(page.getByTestId('history-sort-seed')).toBeVisible();
  await lab.reload();
  await openHistory(page);
  await expect(page.getByTestId('history-sort-seed')).toBeVisible();
  expect(await lastColumnEdge()).toBeLessThanOrEqual(1280);
  await page.getByTestId('history-filter-text').fill('overshoots');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await expect(page.getByTestId('history-notes')).toHaveText('Momentum overshoots the valley');
  await page.getByTestId('history-filter-text').fill('');
  await page.getByTestId('history-filter-tag').selectOption('overshoot');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await expect(page.getByTestId('history-changes')).toHaveText('steps 5');

  // Starred runs go on top; the run page shows the command line that reproduces it.
  await page.getByTestId('history-filter-tag').selectOption('');
  await page.getByTestId('history-row').last().getByTestId('history-star').click();
  await expect(page.getByTestId('history-row').first().getByTestId('history-changes')).toHaveText('steps 5');
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await expect(page.getByTestId('run-command-line')).toHaveText(
    'npm run lab -- run optimizer-paths --set steps=5 --seed 1',
  );
  await expect(page.getByTestId('run-meta-notes')).toHaveValue('Momentum overshoots the valley');
});
