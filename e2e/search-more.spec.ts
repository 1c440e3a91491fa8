import { openExperiment, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/**
 * Issue 20: a search over more than lr and weight decay (an optimizer choice and the number of hidden
 * layers), with median pruning: the table shows each trial's values and how many trials were pruned.
 */
test('a search over the optimizer and the layers, with median pruning', async ({ lab }) => {
  const { page } = lab;
  const searchAlso = [
    { param: 'optimizer', scale: 'choice', choices: ['SGD', 'Adam'] },
    { param: 'hiddenLayers', scale: 'linear', min: 1, max: 3 },
  ];
  await openExperiment(page, 'hyperparameter-search', {
    trials: '14',
    epochs: '3',
    trainSize: '200',
    lrMin: '0.00001',
    lrMax: '0.5',
    seed: '3',
    pruning: 'median',
    searchAlso: JSON.stringify(searchAlso),
  });
  await page
    .locator('form')
    .first()
    .screenshot({ path: test.info().outputPath('search-more-form.png') });
  await runToCompletion(page);
  const lines = page.getByTestId('trial-row').locator('code');
  await expect(lines).toHaveCount(14);
  // The best trial ran all 3 epochs (pruned ones stop early and rank after those that did not).
  await expect(page.getByTestId('trial-row').first()).toContainText(/trial \d+ · 3 epochs\s*$/);
  await expect(lines.first()).toContainText(/\| number of hidden layers:[123], optimizer:(SGD|Adam)$/);
  await expect(page.getByTestId('pruned-count')).toContainText(/Median pruning stopped [1-9]\d* trials early/);
  await expect(page.getByTestId('trial-row').filter({ hasText: 'pruned after epoch' }).first()).toBeVisible();
  await page.getByTestId('trials-table').screenshot({ path: test.info().outputPath('search-more.png') });
});
