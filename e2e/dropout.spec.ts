import { openExperiment, runToCompletion, trainTestSpec } from './experiment';
import { expect, test } from './fixtures';

/** Fig. 6-22/23 end to end: without dropout on the left, with it on the right, the gap shaded. */

trainTestSpec('dropout', { epochs: '6', dropoutRatio: '0.3' });

test('a bad dropout ratio starts nothing; a good one runs and its summary lists both nets', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'dropout', { epochs: '2' });
  await page.getByTestId('param-dropoutRatio').fill('1.5');
  await expect(page.getByTestId('error-dropoutRatio')).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await page.getByTestId('param-dropoutRatio').fill('0.5');
  await runToCompletion(page);
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  // The summary's rows (the kept nets' picker names them too).
  await expect(page.getByRole('rowheader', { name: 'dropout 0.5', exact: true })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'no dropout', exact: true })).toBeVisible();
});
