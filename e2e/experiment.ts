import type { Locator, Page } from '@playwright/test';
import { expect, type Lab, test } from './fixtures';
import { readPng } from '../src/engine/png.test-helpers';

/** Steps the experiments' specs share: open a page with short settings, run it, export a chart. */

export const pointsOf = async (chart: Locator) => Number((await chart.getAttribute('data-points')) ?? 0);

/** Opens an experiment and types its short settings (text fields) or ticks them (booleans). */
export async function openExperiment(
  page: Page,
  id: string,
  settings: Record<string, string | boolean> = {},
): Promise<void> {
  await page.getByTestId(`nav-${id}`).click();
  for (const [name, value] of Object.entries(settings)) {
    const field = page.getByTestId(`param-${name}`);
    if (typeof value === 'boolean') await field.setChecked(value);
    else if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await expect(page.getByTestId('run-button')).toBeEnabled();
}

/**
 * Runs (by default with the Run button) and waits for that run to complete. The page may still show the
 * experiment's previous run, as completed, until the new one's first event: the wait is for a new run
 * id, then its status.
 */
export async function runToCompletion(
  page: Page,
  timeout = 120_000,
  start: () => Promise<void> = () => page.getByTestId('run-button').click(),
): Promise<void> {
  const progress = page.locator('.progress-box');
  const before = await progress.getAttribute('data-run-id');
  await start();
  await expect(progress).toHaveAttribute('data-run-id', before ? new RegExp(`^(?!${before}$).+`) : /.+/, { timeout });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout });
}

/** Exports a chart as a PNG and checks it: twice the chart's size, more than one colour. */
export async function expectExport(lab: Lab, key: string): Promise<void> {
  const chart = lab.page.getByTestId(`chart-${key}`);
  const box = (await chart.boundingBox())!;
  const png = readPng(await lab.exportPng(`export-png-${key}`));
  expect(png.width).toBeGreaterThanOrEqual(Math.floor(box.width * 2) - 2);
  expect(png.height).toBeGreaterThanOrEqual(Math.floor(box.height * 2) - 2);
  expect(png.distinctColours).toBeGreaterThan(1);
}

/** Samples a chart's point count while the run goes: the counts seen, in order. */
export async function watchGrowth(page: Page, chart: Locator, timeout = 120_000): Promise<number[]> {
  const seen: number[] = [];
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const points = await pointsOf(chart);
    if (seen.at(-1) !== points) seen.push(points);
    const status = (await page.getByTestId('run-status').textContent())?.trim();
    if (status && status !== 'running') break;
    await page.waitForTimeout(100);
  }
  return seen;
}

/**
 * The shared test of weight decay and dropout: two nets (baseline and regularised), train and test
 * accuracy each, epochs 0..epochs, growing live into one chart that exports as one image.
 */
export function trainTestSpec(id: string, settings: Record<string, string> & { epochs: string }): void {
  test(`${id}: train and test accuracy of both nets grow epoch by epoch`, async ({ lab }) => {
    const { page } = lab;
    await openExperiment(page, id, settings);
    const chart = page.getByTestId('chart-accuracy');
    await page.getByTestId('run-button').click();
    const seen = await watchGrowth(page, chart);
    await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
    const total = 2 * 2 * (Number(settings.epochs) + 1);
    await expect.poll(() => pointsOf(chart)).toBe(total);
    // It grew while the run went: counts between none and all were drawn.
    expect(seen.filter((n) => n > 0 && n < total).length).toBeGreaterThan(0);
    await expectExport(lab, 'accuracy');
  });
}

/** Draws a "7" on the digit pad with the mouse: a bar at the top, then a diagonal down to the bottom left. */
export async function drawSeven(page: Page): Promise<void> {
  const canvas = page.getByTestId('digit-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(0.25, 0.2));
  await page.mouse.down();
  await page.mouse.move(...at(0.72, 0.2), { steps: 12 });
  await page.mouse.move(...at(0.4, 0.85), { steps: 16 });
  await page.mouse.up();
}
