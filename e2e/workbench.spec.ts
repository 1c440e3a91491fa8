import type { Page } from '@playwright/test';
import { openExperiment, pointsOf, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/**
 * Issue 18, "your own comparison": variants composed by clicking, run with several seeds, reopened from
 * the history, compared with another run; the book's comparisons as presets, and a run of one of them
 * opened in the workbench.
 */

const card = (page: Page, index: number) => page.getByTestId('variant-card').nth(index);
const field = (page: Page, index: number, name: string) => page.getByTestId(`variant-${index}-${name}`);

test('three variants built by clicking, three seeds each, reopened from the history and compared', async ({
  lab,
}, testInfo) => {
  test.setTimeout(240_000);
  const { page } = lab;
  await openExperiment(page, 'workbench', { trainSize: '300', epochs: '4', batchSize: '100', seeds: '3' });
  const cards = page.getByTestId('variant-card');
  await expect(cards).toHaveCount(2);
  await expect(field(page, 0, 'name')).toHaveValue('plain');
  await expect(field(page, 1, 'batchNorm')).toBeChecked();
  const formulas = await page.getByTestId('concept-formula').count();

  // A third variant: Batch Norm with dropout 0.2.
  await page.getByTestId('variant-add').click();
  await expect(cards).toHaveCount(3);
  await expect(field(page, 2, 'name')).toHaveValue('variant 3');
  await expect(field(page, 2, 'batchNorm')).not.toBeChecked();
  await field(page, 2, 'name').fill('BN dropout');
  await field(page, 2, 'batchNorm').check();
  await field(page, 2, 'dropoutRatio').fill('0.2');
  for (const i of [0, 1, 2]) await field(page, i, 'hidden').fill('50,50');
  // Each card draws its net: 784-50-50-10 has 42,310 parameters, Batch Norm adds γ and β per unit.
  await expect(field(page, 0, 'param-count')).toContainText('42,310');
  await expect(field(page, 2, 'param-count')).toContainText('42,510');
  await expect(field(page, 2, 'network').locator('.layer.dropout')).toHaveCount(2);
  // The concept panel adds dropout's formulas now that a variant uses it.
  await expect.poll(() => page.getByTestId('concept-formula').count()).toBeGreaterThan(formulas);

  // A bad value is named beside its variant's field and stops the run.
  await field(page, 2, 'dropoutRatio').fill('1.5');
  await expect(page.getByTestId('error-variants-2-dropoutRatio')).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await field(page, 2, 'dropoutRatio').fill('0.2');
  await expect(page.getByTestId('error-variants-2-dropoutRatio')).toHaveCount(0);

  // Duplicate, move and remove keep the names unique and the list in order.
  await card(page, 2).getByTestId('variant-duplicate').click();
  await expect(cards).toHaveCount(4);
  await expect(field(page, 3, 'name')).toHaveValue('BN dropout copy');
  await expect(field(page, 3, 'dropoutRatio')).toHaveValue('0.2');
  await card(page, 3).getByTestId('variant-up').click();
  await expect(field(page, 2, 'name')).toHaveValue('BN dropout copy');
  await expect(card(page, 2).getByTestId('variant-up')).toBeFocused();
  await card(page, 2).getByTestId('variant-remove').click();
  await expect(cards).toHaveCount(3);
  await expect(field(page, 2, 'name')).toHaveValue('BN dropout');
  await expect(card(page, 0).getByTestId('variant-up')).toBeDisabled();
  await expect(card(page, 2).getByTestId('variant-down')).toBeDisabled();

  await runToCompletion(page, 120_000);
  for (const key of ['loss', 'accuracy', 'gap']) {
    const chart = page.getByTestId(`chart-${key}`);
    await expect(chart).toBeVisible();
    await expect.poll(() => pointsOf(chart)).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('claims')).toBeVisible();
  expect(await page.getByTestId('claim').count()).toBeGreaterThan(0);

  // The page with its finished run, and each figure on its own, to look at (test-results/).
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: testInfo.outputPath('workbench.png'), fullPage: true });
  for (const key of ['loss', 'accuracy', 'gap'])
    await page.getByTestId(`chart-${key}`).screenshot({ path: testInfo.outputPath(`workbench-${key}.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Reopened from the history: its figures, and "run again" brings its three variants back to the form.
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await expect(page.getByTestId('chart-accuracy')).toBeVisible();
  await expect(page.getByTestId('claims')).toBeVisible();
  await expect(page.getByTestId('open-in-workbench')).toHaveCount(0);
  await page.getByTestId('run-again').click();
  await expect(cards).toHaveCount(3);
  await expect(field(page, 2, 'name')).toHaveValue('BN dropout');
  await expect(field(page, 2, 'dropoutRatio')).toHaveValue('0.2');

  // A second run with another seed, and the two side by side.
  await page.getByTestId('param-seed').fill('2');
  await runToCompletion(page, 120_000);
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  for (const box of await page.getByTestId('history-select').all()) await box.check();
  await page.getByTestId('history-compare').click();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(page.getByTestId('compare-param-row')).toHaveCount(1);
  await expect(page.getByTestId('compare-param-row')).toHaveAttribute('data-path', 'seed');
  await expect(page.getByTestId('chart-loss')).toBeVisible();
  await expect.poll(() => pointsOf(page.getByTestId('chart-loss'))).toBeGreaterThan(0);
});

test('"Start from Fig. 6-9" fills the form with its four optimizers', async ({ lab }) => {
  const { page } = lab;
  await page.getByTestId('nav-workbench').click();
  await page.getByTestId('preset-optimizers-mnist').click();
  await expect(page.getByTestId('variant-card')).toHaveCount(4);
  const optimizers = ['SGD', 'Momentum', 'AdaGrad', 'Adam'];
  for (const [i, name] of optimizers.entries()) {
    await expect(field(page, i, 'name')).toHaveValue(name);
    await expect(field(page, i, 'optimizer')).toHaveValue(name);
  }
  await expect(field(page, 3, 'optimizer-lr')).toHaveValue('0.001');
  await expect(page.getByTestId('variant-add')).toBeEnabled();
  await expect(page.getByTestId('param-length')).toHaveValue('iterations');
  await expect(page.getByTestId('param-evaluation')).toHaveValue('none');
  await expect(page.getByTestId('run-button')).toBeEnabled();

  // Another optimizer starts at its book defaults.
  await field(page, 0, 'optimizer').selectOption('Momentum');
  await expect(field(page, 0, 'optimizer-momentum')).toHaveValue('0.9');
  await expect(field(page, 0, 'optimizer-lr')).toHaveValue('0.01');
});

test('"Open in the workbench" on a dropout run brings its two nets as variants', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'dropout', { epochs: '2', dropoutRatio: '0.15' });
  await runToCompletion(page);
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await page.getByTestId('open-in-workbench').click();

  await expect(page.getByTestId('variant-card')).toHaveCount(2);
  expect(await page.evaluate(() => location.hash)).toMatch(/^#\/experiment\/workbench/);
  await expect(field(page, 0, 'name')).toHaveValue('no dropout');
  await expect(field(page, 1, 'name')).toHaveValue('dropout 0.15');
  await expect(field(page, 1, 'dropoutRatio')).toHaveValue('0.15');
  await expect(page.getByTestId('param-epochs')).toHaveValue('2');
  await expect(page.getByTestId('param-batchOrder')).toHaveValue('shuffle');
  await expect(page.getByTestId('address-error')).toHaveCount(0);
  await expect(page.getByTestId('run-button')).toBeEnabled();
});
