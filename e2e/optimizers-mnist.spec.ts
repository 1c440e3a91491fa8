/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ROOT } from './paths';
import { readPng } from '../src/engine/png.test-helpers';
import { readCsv } from '../src/shared/csv.test-helpers';

/** The desktop lab end to end on "optimizers on MNIST": the real renderer, services, worker and MNIST. */

const pointsOf = async (chart: Locator) => Number((await chart.getAttribute('data-points')) ?? 0);

async function openExperiment(page: Page, iterations: number): Promise<Locator> {
  await page.getByTestId('nav-optimizers-mnist').click();
  await page.getByTestId('param-iterations').fill(String(iterations));
  return page.locator('[data-testid^="chart-"]').first();
}

async function chartKey(chart: Locator): Promise<string> {
  return (await chart.getAttribute('data-testid'))!.slice('chart-'.length);
}

test('a short run streams its losses into the live chart while it runs', async ({ lab }, testInfo) => {
  const { page } = lab;
  const chart = await openExperiment(page, 600);
  await expect(page.getByTestId('backend')).toContainText(/wasm|tensorflow|cpu/);
  const clickedAt = Date.now();
  await page.getByTestId('run-button').click();
  await expect.poll(() => pointsOf(chart), { timeout: 60_000 }).toBeGreaterThan(0);
  const firstPointMs = Date.now() - clickedAt;

  // Frame times in the page while the run streams: the UI must keep painting.
  const frames = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const gaps: number[] = [];
        let last = performance.now();
        const end = last + 2000;
        const tick = (now: number) => {
          gaps.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(tick);
          else resolve(gaps);
        };
        requestAnimationFrame(tick);
      }),
  );
  const early = await pointsOf(chart);
  await expect(page.getByTestId('run-status')).toHaveText('running');
  await expect.poll(() => pointsOf(chart)).toBeGreaterThan(early);
  // The README's screenshot: DLFS_README_SCREENSHOT=1 npm run test:e2e refreshes it.
  const shots = process.env.DLFS_README_SCREENSHOT ? path.join(ROOT, 'docs', 'images') : testInfo.outputDir;
  if (!existsSync(shots)) mkdirSync(shots, { recursive: true });
  await page.screenshot({
    path: path.join(shots, testInfo.project.name === 'web' ? 'live-run.png' : 'live-run-electron.png'),
  });
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  await expect.poll(() => pointsOf(chart)).toBe(4 * 600);

  const sorted = [...frames].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(sorted.length * 0.95)]!;
  const summary = `run to first point ${firstPointMs} ms; frames during the run: ${frames.length} in 2 s, median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`;
  testInfo.annotations.push({ type: 'measured', description: summary });
  console.log(`[${testInfo.project.name}] ${summary}`);
  expect(frames.length).toBeGreaterThan(10);
});

test('cancel stops the run and keeps its points', async ({ lab }) => {
  const { page } = lab;
  const chart = await openExperiment(page, 20_000);
  await page.getByTestId('run-button').click();
  await expect.poll(() => pointsOf(chart), { timeout: 60_000 }).toBeGreaterThan(100);
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  const kept = await pointsOf(chart);
  expect(kept).toBeGreaterThan(100);
  expect(kept).toBeLessThan(4 * 20_000);
});

test('a finished run is in History after a reload and reopens with its curves', async ({ lab }) => {
  const { page } = lab;
  await openExperiment(page, 120);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 });
  await lab.reload();
  await page.getByTestId('nav-history').click();
  const row = page.getByTestId('history-row').first();
  await expect(row).toContainText('optimizers-mnist');
  await expect(row).toContainText(/completed|已完成/);
  await row.getByTestId('history-open').click();
  const chart = page.locator('[data-testid^="chart-"]').first();
  await expect.poll(() => pointsOf(chart)).toBe(4 * 120);
});

test('a chart exports as a PNG at twice its size with more than one colour', async ({ lab }) => {
  const { page } = lab;
  const chart = await openExperiment(page, 100);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 });
  const box = (await chart.boundingBox())!;
  const png = readPng(await lab.exportPng(`export-png-${await chartKey(chart)}`));
  expect(png.width).toBeGreaterThanOrEqual(Math.floor(box.width * 2) - 2);
  expect(png.height).toBeGreaterThanOrEqual(Math.floor(box.height * 2) - 2);
  expect(png.distinctColours).toBeGreaterThan(1);
});

/** The run records in the history folder (one folder per run, record.json in it). */
interface StoredRecord {
  id: string;
  status: string;
  series: { name: string; x: number[]; y: number[] }[];
}
function storedRecords(historyDir: string): StoredRecord[] {
  if (!existsSync(historyDir)) return [];
  return readdirSync(historyDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(historyDir, entry.name, 'record.json')))
    .map((entry) => JSON.parse(readFileSync(path.join(historyDir, entry.name, 'record.json'), 'utf8')) as StoredRecord);
}

test('the loss chart switches to EMA on a log axis, keeps that view, and exports the numbers of the record', async ({
  lab,
}) => {
  const { page } = lab;
  const iterations = 60;
  const chart = await openExperiment(page, iterations);
  const key = await chartKey(chart);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 90_000 });
  await expect.poll(() => pointsOf(chart)).toBe(4 * iterations);

  // The view controls: EMA (its weight slider appears), y fitted to the data and a log y axis (which
  // fits the data anyway: "fit y" is then disabled); the chart keeps every point.
  await expect(page.getByTestId(`smoothing-${key}`)).toHaveValue('book');
  await expect(page.getByTestId(`ema-weight-${key}`)).toHaveCount(0);
  await page.getByTestId(`smoothing-${key}`).selectOption('ema');
  await page.getByTestId(`ema-weight-${key}`).fill('0.9');
  await expect(page.getByTestId(`fit-y-${key}`)).not.toBeChecked();
  await page.getByTestId(`fit-y-${key}`).check();
  await page.getByTestId(`log-y-${key}`).check();
  await expect(page.getByTestId(`fit-y-${key}`)).toBeDisabled();
  await expect(page.getByTestId(`ema-weight-${key}`)).toHaveValue('0.9');
  await expect.poll(() => pointsOf(chart)).toBe(4 * iterations);

  // The view is kept per chart: the run's page in History shows the same choice.
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await expect(page.getByTestId(`smoothing-${key}`)).toHaveValue('ema');
  await expect(page.getByTestId(`log-y-${key}`)).toBeChecked();
  await expect(page.getByTestId(`fit-y-${key}`)).toBeChecked();
  await expect(page.getByTestId(`ema-weight-${key}`)).toHaveValue('0.9');

  // The CSV holds the record's numbers: one row per iteration, one column per optimizer, named after the run.
  await expect.poll(() => storedRecords(lab.historyDir).map((r) => r.status)).toEqual(['completed']);
  const [record] = storedRecords(lab.historyDir);
  const csv = await lab.exportFile(`export-csv-${key}`);
  expect(csv.name).toMatch(/^optimizers-mnist-.*\.csv$/);
  const [header, ...rows] = readCsv(csv.content.toString('utf8'));
  expect(header).toEqual(['x', ...record!.series.map((s) => `${record!.id} / ${s.name}`)]);
  expect(rows).toHaveLength(iterations);
  rows.forEach((row, i) => {
    expect(Number(row[0])).toBe(record!.series[0]!.x[i]);
    record!.series.forEach((s, c) => expect(Number(row[c + 1])).toBe(s.y[i]));
  });

  // JSON: the same table; SVG: the figure drawn by the SVG renderer.
  const json = JSON.parse((await lab.exportFile(`export-json-${key}`)).content.toString('utf8')) as {
    rows: (number | null)[][];
  };
  expect(json.rows).toHaveLength(iterations);
  expect(json.rows[iterations - 1]!.slice(1)).toEqual(record!.series.map((s) => s.y[iterations - 1]));
  const svg = await lab.exportFile(`export-svg-${key}`);
  expect(svg.name).toMatch(/\.svg$/);
  expect(svg.content.toString('utf8')).toMatch(/^<svg[\s\S]*<path[\s\S]*<\/svg>\s*$/);
});

test('switching the language changes the visible labels', async ({ lab }) => {
  const { page } = lab;
  await page.getByTestId('nav-optimizers-mnist').click();
  await page.getByTestId('language-select').selectOption('en');
  const runButton = page.getByTestId('run-button');
  const english = (await runButton.innerText()).trim();
  await page.getByTestId('language-select').selectOption('zh-CN');
  await expect(runButton).not.toHaveText(english);
  await expect(page.locator('body')).toContainText('学习率');
  await page.getByTestId('language-select').selectOption('en');
  await expect(runButton).toHaveText(english);
  await expect(page.locator('body')).toContainText(/learning rate/i);
});

test('a bad parameter shows its message and starts nothing', async ({ lab }) => {
  const { page } = lab;
  await page.getByTestId('nav-optimizers-mnist').click();
  await page.getByTestId('param-iterations').fill('0');
  await expect(page.getByTestId('error-iterations')).toContainText(/1/);
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await page.getByTestId('param-iterations').fill('50');
  await page.getByTestId('param-batchSize').fill('-3');
  await expect(page.getByTestId('error-batchSize')).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(0);
  // No run folder (the history's index may be there: the list was read).
  const runFolders = existsSync(lab.historyDir)
    ? readdirSync(lab.historyDir).filter((name) => !name.startsWith('index'))
    : [];
  expect(runFolders).toEqual([]);
});

test('killing the worker mid-run shows a failed run with its points kept', async ({ lab }) => {
  const { page } = lab;
  const chart = await openExperiment(page, 20_000);
  await page.getByTestId('run-button').click();
  await expect.poll(() => pointsOf(chart), { timeout: 60_000 }).toBeGreaterThan(100);
  expect(lab.killWorker()).toBeGreaterThan(0);
  await expect(page.getByTestId('run-status')).toHaveText('failed');
  await expect(page.getByTestId('run-error')).toBeVisible();
  const kept = await pointsOf(chart);
  expect(kept).toBeGreaterThan(100);
  await page.getByTestId('nav-history').click();
  const row = page.getByTestId('history-row').first();
  await expect(row).toContainText(/failed|失败/);
  await row.getByTestId('history-open').click();
  await expect.poll(() => pointsOf(page.locator('[data-testid^="chart-"]').first())).toBeGreaterThanOrEqual(kept - 400);
});
