/// <reference lib="dom" />
import { openExperiment, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/**
 * Issue 19, "inside the net, over training": a Batch Norm run recorded every 3 updates. The form says
 * what the run will keep before it starts; the run's page in History steps through the recorded
 * moments with the time slider, and the claim on the recorded spread is checked.
 */

test('a Batch Norm run recorded inside its nets: the size shown first, then the time slider steps through it', async ({
  lab,
}, testInfo) => {
  const { page } = lab;
  await openExperiment(page, 'batch-norm', { scales: '2', epochs: '6', trainSize: '300', insideEvery: '3' });
  // 2 scales × 2 nets, 3 updates an epoch for 6 epochs: 18 updates, recorded at 0, 3, ..., 15 and 17.
  await expect(page.getByTestId('kept-with-run')).toContainText('Kept with the run: 4 trained nets');
  await expect(page.getByTestId('kept-inside')).toContainText('inside the nets: 7 moments every 3 updates, about');
  await runToCompletion(page);

  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  const inside = page.getByTestId('inside-the-net');
  await expect(inside).toBeVisible();
  await expect(inside.getByTestId('inside-net').locator('option')).toHaveText([
    'Batch Norm|std=1',
    'Batch Norm|std=0.0001',
    'Normal|std=1',
    'Normal|std=0.0001',
  ]);
  await inside.getByTestId('inside-net').selectOption({ label: 'Batch Norm|std=0.0001' });
  await expect(inside.getByTestId('inside-quantity').locator('option')).toHaveText([
    'Activations',
    'Batch Norm outputs',
    'Weights',
    'Gradients of the weights',
  ]);
  const slider = inside.getByTestId('inside-slider');
  const step = inside.getByTestId('inside-step');
  await expect(step).toHaveAttribute('data-step', '17');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(step).toHaveAttribute('data-step', '0');
  await expect(step).toContainText('at update 0 (1 / 7)');
  await page.keyboard.press('ArrowRight');
  await expect(step).toHaveAttribute('data-step', '3');
  await slider.fill('4');
  await expect(step).toHaveAttribute('data-step', '12');
  await expect(page.getByTestId('chart-inside-moment')).toHaveAttribute('aria-label', /Batch Norm outputs|Activations/);

  await inside.getByTestId('inside-quantity').selectOption({ label: 'Batch Norm outputs' });
  await inside.getByTestId('inside-curve').selectOption({ label: 'Update / weight ratio ‖ΔW‖ / ‖W‖ per layer' });
  for (const key of ['inside-moment', 'inside-ridgeline', 'inside-curves'])
    await expect(page.getByTestId(`chart-${key}`)).toBeVisible();
  await inside.scrollIntoViewIfNeeded();
  await inside.screenshot({ path: testInfo.outputPath('inside-the-net.png') });

  // The claim on the recorded spread is checked on the run (at 18 updates it may not hold yet).
  await expect(page.locator('[data-claim-id="bn-keeps-activations-spread"]')).toHaveAttribute(
    'data-holds',
    /^(true|false)$/,
  );
});
