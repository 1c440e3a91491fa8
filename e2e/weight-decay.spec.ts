import { openExperiment, pointsOf, runToCompletion, trainTestSpec } from './experiment';
import { expect, test } from './fixtures';

/** Fig. 6-20/21 end to end: λ = 0 (overfitting) on the left, λ = lambda on the right, the gap shaded. */

trainTestSpec('weight-decay', { epochs: '6', lambda: '0.2' });

test('λ = 0 trains the overfitting net alone, and the run reopens from History', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'weight-decay', { epochs: '3', lambda: '0' });
  await runToCompletion(page);
  await expect.poll(() => pointsOf(page.getByTestId('chart-accuracy'))).toBe(2 * 4);
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await expect.poll(() => pointsOf(page.getByTestId('chart-accuracy'))).toBe(2 * 4);
  await expect(page.getByTestId('run-params')).toContainText('λ');
});
