import type { Page } from '@playwright/test';
import { openExperiment, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/** The chapter's concept figures, live: Fig. 6-16 (the network), Fig. 6-22 (dropout), Fig. 6-8's step slider. */

/** Weights + biases of 784 -> hidden -> 10, plus γ and β per unit with Batch Norm: counted here by hand. */
function paramCount(hidden: number[], batchNorm = false): number {
  let count = 0;
  let fanIn = 784;
  for (const units of hidden) {
    count += fanIn * units + units + (batchNorm ? 2 * units : 0);
    fanIn = units;
  }
  return count + fanIn * 10 + 10;
}

const shownCount = async (page: Page) =>
  Number(((await page.getByTestId('network-param-count').textContent()) ?? '').replace(/\D/g, ''));
const kinds = (page: Page) =>
  page
    .getByTestId('network-diagram')
    .getByTestId('network-layer')
    .evaluateAll((layers) => layers.map((l) => l.getAttribute('data-kind')));

test('the network drawing follows the form: hidden sizes, activation, Batch Norm', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'init-mnist');
  await expect.poll(() => shownCount(page)).toBe(paramCount([100, 100, 100, 100]));
  expect(paramCount([100, 100, 100, 100])).toBe(784 * 100 + 100 + 3 * (100 * 100 + 100) + 100 * 10 + 10);
  await expect(page.getByTestId('network-layer')).toHaveCount(4 * 2 + 2);

  await page.getByTestId('param-hidden').fill('50,20');
  await page.getByTestId('param-activation').selectOption('tanh');
  await expect.poll(() => shownCount(page)).toBe(784 * 50 + 50 + 50 * 20 + 20 + 20 * 10 + 10);
  await expect.poll(() => kinds(page)).toEqual(['affine', 'tanh', 'affine', 'tanh', 'affine', 'softmax']);

  // The Batch Norm experiment draws its net with Batch Norm (grey) after every hidden Affine.
  await openExperiment(page, 'batch-norm', { hidden: '30,20' });
  await expect.poll(() => shownCount(page)).toBe(paramCount([30, 20], true));
  expect(await shownCount(page)).not.toBe(paramCount([30, 20]));
  await expect
    .poll(() => kinds(page))
    .toEqual(['affine', 'batchnorm', 'relu', 'affine', 'batchnorm', 'relu', 'affine', 'softmax']);
  await expect(page.getByTestId('network-twin')).toContainText(paramCount([30, 20]).toLocaleString('en-US'));

  // Dropout after every hidden activation, with its ratio.
  await openExperiment(page, 'dropout', { hidden: '40', dropoutRatio: '0.3' });
  await expect.poll(() => shownCount(page)).toBe(paramCount([40]));
  await expect.poll(() => kinds(page)).toEqual(['affine', 'relu', 'dropout', 'affine', 'softmax']);
});

test("the dropout figure samples the engine's masks step by step and crosses out dropped neurons", async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'dropout', { dropoutRatio: '0.5' });
  const figure = page.getByTestId('dropout-figure');
  await expect(figure).toBeVisible();
  const neurons = figure.getByTestId('dropout-neuron');
  await expect(neurons).toHaveCount(5 + 6 + 6 + 3);
  const masks = () => neurons.evaluateAll((all) => all.map((n) => n.getAttribute('data-dropped')).join(''));
  const seen = new Set<string>();
  let dropped = 0;
  for (let step = 1; step <= 5; step++) {
    await figure.getByTestId('dropout-step').click();
    await expect(figure).toHaveAttribute('data-step', String(step));
    await expect.poll(async () => (await masks()).length).toBeGreaterThan(0);
    await page.waitForTimeout(150);
    const mask = await masks();
    seen.add(mask);
    dropped += await figure.locator('[data-testid="dropout-neuron"][data-dropped="true"]').count();
  }
  // At ratio 0.5 about 6 of the 12 hidden neurons go each step; the masks change from step to step.
  expect(dropped).toBeGreaterThan(10);
  expect(dropped).toBeLessThan(50);
  expect(seen.size).toBeGreaterThan(1);
  // Inputs and outputs are never dropped.
  await expect(
    figure.locator('[data-layer="0"][data-dropped="true"], [data-layer="3"][data-dropped="true"]'),
  ).toHaveCount(0);

  // Ratio 0: nothing is dropped.
  await page.getByTestId('param-dropoutRatio').fill('0');
  await figure.getByTestId('dropout-step').click();
  await expect(figure.locator('[data-testid="dropout-neuron"][data-dropped="true"]')).toHaveCount(0);
});

test('the step slider moves every path marker and the table together', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'optimizer-paths');
  await runToCompletion(page, 60_000);
  const slider = page.getByTestId('path-step-slider');
  await expect(slider).toBeVisible();
  await expect(page.getByTestId('path-step-row')).toHaveCount(4);
  const overlay = page.getByTestId('chart-paths-overlay');
  await page.waitForTimeout(500);
  const atEnd = await overlay.screenshot();

  await slider.fill('1');
  // SGD (lr 0.95) from (-7, 2): one step to (-6.335, -1.8), gradient (-0.6335, -3.6) at that point.
  const sgd = page.locator('[data-testid="path-step-row"][data-optimizer="SGD"]');
  await expect(sgd.getByTestId('path-step-position')).toHaveText('(-6.335, -1.8)');
  await expect(sgd).toContainText('(-0.6335, -3.6)');
  await expect(page.locator('[data-testid="path-step-row"][data-optimizer="Momentum"]')).toContainText(
    'v = (0.07, -0.4)',
  );
  await page.waitForTimeout(500);
  const atOne = await overlay.screenshot();
  expect(atOne.equals(atEnd)).toBe(false);

  await slider.fill('0');
  await expect(sgd.getByTestId('path-step-position')).toHaveText('(-7, 2)');
  await page.waitForTimeout(500);
  expect((await overlay.screenshot()).equals(atOne)).toBe(false);
});
