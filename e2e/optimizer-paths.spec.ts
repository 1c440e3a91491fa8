import type { Locator } from '@playwright/test';
import { expectExport, openExperiment, pointsOf, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/** Fig. 6-8 end to end: the paths on the contour, hover state, click-to-set start, the panels, export. */

/** The page position of a data point of the overlay, from the data frame the chart reports (data-frame). */
async function pixelOf(chart: Locator, x: number, y: number): Promise<{ x: number; y: number }> {
  // The mouse reaches only what is in the viewport (the concept panel sits above the charts).
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  const [left, top, right, bottom] = ((await chart.getAttribute('data-frame')) ?? '').split(',').map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return { x: box.x + left + ((x + 10) / 20) * (right - left), y: box.y + top + ((5 - y) / 10) * (bottom - top) };
}

test('the paths run, show each step on hover and a click on the contour sets the start point', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'optimizer-paths');
  const overlay = page.getByTestId('chart-paths-overlay');
  const panels = page.getByTestId('chart-paths-panels');
  await runToCompletion(page, 60_000);
  // 4 optimizers × (30 steps + the start).
  await expect.poll(() => pointsOf(overlay)).toBe(4 * 31);
  await expect.poll(() => pointsOf(panels)).toBe(4 * 31);

  // The book's exact check: SGD (lr 0.95) goes from (-7, 2) to (-6.335, -1.8) in one step.
  const first = await pixelOf(overlay, -6.335, -1.8);
  await page.mouse.move(first.x, first.y);
  await expect(page.getByText('SGD · step 1')).toBeVisible();
  await expect(page.getByText('(-6.335, -1.8)')).toBeVisible();
  await expect(page.getByText('∇f = (-0.6335, -3.6)')).toBeVisible();

  // Momentum's first step from (-7, 2): v = -lr·g = (0.07, -0.4), so it reaches (-6.93, 1.6) where v is shown.
  const momentum = await pixelOf(overlay, -6.93, 1.6);
  await page.mouse.move(momentum.x, momentum.y);
  await expect(page.getByText('Momentum · step 1')).toBeVisible();
  await expect(page.getByText(/v = \(0\.07, -0\.4\)/)).toBeVisible();

  // A click on the contour moves the start point in the form.
  const target = await pixelOf(overlay, 5, -3);
  await page.mouse.move(target.x, target.y);
  await page.mouse.click(target.x, target.y);
  await expect.poll(async () => Number(await page.getByTestId('param-startX').inputValue())).toBeCloseTo(5, 0);
  await expect.poll(async () => Number(await page.getByTestId('param-startY').inputValue())).toBeCloseTo(-3, 0);
  const startX = await page.getByTestId('param-startX').inputValue();
  const startY = await page.getByTestId('param-startY').inputValue();
  await runToCompletion(page, 60_000);
  await expect.poll(() => pointsOf(overlay)).toBe(4 * 31);
  // The new paths begin where the click was. Both runs draw 4 × 31 points, so the count above may still be
  // the first run's: hover again until the chart is redrawn with the new paths.
  await expect(async () => {
    await page.mouse.move(target.x + 40, target.y + 40);
    await page.mouse.move(target.x, target.y);
    await expect(page.getByText(/ · step 0/)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText(`(${Number(startX)}, ${Number(startY)})`)).toBeVisible();

  await expectExport(lab, 'paths-panels');
});

test('the paths reopen from History with both views', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 'optimizer-paths', { steps: '12' });
  await runToCompletion(page, 60_000);
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await expect.poll(() => pointsOf(page.getByTestId('chart-paths-overlay'))).toBe(4 * 13);
  await expect.poll(() => pointsOf(page.getByTestId('chart-paths-panels'))).toBe(4 * 13);
  await expect(page.getByTestId('run-params')).toContainText('12');
});
