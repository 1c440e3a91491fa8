import { openExperiment, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/**
 * Issue 20, step 4: a finished search, opened from History, evaluates the chosen hyper-parameters on
 * the test data once; opened again, it shows that first result and offers no second measurement.
 */
test('step 4 on a finished search: a test accuracy, once', async ({ lab }) => {
  const { page } = lab;
  // Learning rates that leave chance behind in 3 epochs, so the measured accuracy says the net learned.
  const settings = { trials: '4', epochs: '3', trainSize: '200', lrMin: '0.05', lrMax: '0.2' };
  await openExperiment(page, 'hyperparameter-search', settings);
  await runToCompletion(page);
  await expect(page.getByTestId('search-step')).toHaveAttribute('data-step', '3-4');

  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  const step4 = page.getByTestId('final-test');
  await expect(step4).toBeVisible();
  const choices = step4.getByTestId('final-test-trial').locator('option');
  await expect(choices.first()).toContainText(/^Best-1: trial \d/);
  await step4.getByTestId('final-test-run').click();
  const result = step4.getByTestId('final-test-result');
  await expect(result).toContainText(/^Test accuracy 0\.\d{4}: trial \d+ .*trained on 200 images for 3 epochs\.$/);
  const accuracy = Number(await result.getAttribute('data-accuracy'));
  expect(accuracy).toBeGreaterThan(0.15);
  await expect(step4.getByTestId('final-test-run')).toHaveCount(0);
  await expect(step4.getByTestId('final-test-once')).toContainText('Measured once');

  // Opened again: the first result, and no way to look at the test data a second time.
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await expect(page.getByTestId('final-test-result')).toHaveAttribute('data-accuracy', String(accuracy));
  await expect(page.getByTestId('final-test-run')).toHaveCount(0);
  await page.getByTestId('final-test').screenshot({ path: test.info().outputPath('final-test.png') });
});
