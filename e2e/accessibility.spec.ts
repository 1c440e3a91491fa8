/// <reference lib="dom" />
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { EXPERIMENT_IDS } from '../src/shared/experiments';
import { drawSeven, runToCompletion } from './experiment';
import { expect, test } from './fixtures';
import { ROOT } from './paths';

/**
 * Issue 12: every page of the lab passes axe-core's WCAG 2.0 / 2.1 A and AA rules, in every language:
 * every experiment's page, the history, a run's page (one with what its nets learned), a comparison of two runs and
 * the workbench with a run.
 */

const AXE_SOURCE = readFileSync(path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Finding {
  page: string;
  rule: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeResult {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}
interface AxeApi {
  run(context: Document, options: { runOnly: { type: 'tag'; values: string[] } }): Promise<{ violations: AxeResult[] }>;
}

/** axe's violations on the page as it is now, under the WCAG 2 / 2.1 A and AA tags. */
async function audit(page: Page, name: string): Promise<Finding[]> {
  return test.step(`axe: ${name}`, () => auditNow(page, name));
}

/** Every chart on the page is an image to assistive technology, named by its title and series (ECharts' aria). */
async function chartLabels(page: Page): Promise<{ role: string | null; label: string | null }[]> {
  return page
    .locator('.echart [data-testid^="chart-"]')
    .evaluateAll((els) => els.map((el) => ({ role: el.getAttribute('role'), label: el.getAttribute('aria-label') })));
}

async function auditNow(page: Page, name: string): Promise<Finding[]> {
  for (const chart of await chartLabels(page)) {
    expect(chart.role, `${name}: a chart without role img`).toBe('img');
    expect(chart.label ?? '', `${name}: a chart without its description`).toMatch(/^(Chart|图表)：?:? ?\S/);
  }
  // The lab's Content-Security-Policy (script-src 'self') refuses an injected <script> tag
  // (page.addScriptTag): axe's source is evaluated through the debugging protocol instead.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: AxeApi }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' > '), summary: n.failureSummary ?? '' })),
    }));
  }, TAGS);
  return violations.map((v) => ({ page: name, ...v }));
}

function report(findings: Finding[]): string {
  return findings
    .map(
      (f) =>
        `[${f.page}] ${f.rule} (${f.impact}): ${f.help}\n` +
        f.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
}

/** Opens an address of the lab and runs the experiment there to the end; returns nothing. */
async function runAt(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => (location.hash = h), hash);
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await runToCompletion(page, 60_000);
}

/** Lets the page's charts and fonts settle before it is audited. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(300);
}

for (const locale of ['en', 'zh-CN'] as const) {
  test(`every page passes axe's WCAG 2.1 A and AA rules (${locale})`, async ({ lab }, testInfo) => {
    test.setTimeout(240_000);
    const { page } = lab;
    await page.getByTestId('language-select').selectOption(locale);
    await expect(page.locator('html')).toHaveAttribute('lang', locale);

    // Two short runs: the run page shows one, the compare page both.
    await runAt(page, '#/experiment/optimizer-paths?steps=5');
    await runAt(page, '#/experiment/optimizer-paths?steps=6');

    const findings: Finding[] = [];
    for (const id of EXPERIMENT_IDS) {
      await page.getByTestId(`nav-${id}`).click();
      await expect(page.getByTestId('run-button')).toBeVisible();
      await settle(page);
      findings.push(...(await audit(page, `experiment ${id}`)));
    }

    // A run that trains (its badge and live progress bar), the dataset folder being edited.
    await page.getByTestId('nav-optimizers-mnist').click();
    await page.getByTestId('param-iterations').fill('50000');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 60_000 });
    await page.getByTestId('dataset-change').click();
    await expect(page.getByTestId('dataset-path')).toBeVisible();
    await settle(page);
    findings.push(...(await audit(page, 'experiment optimizers-mnist, running, dataset editor open')));
    await page.getByTestId('cancel-button').click();
    await expect(page.getByTestId('run-status')).toHaveText('cancelled', { timeout: 30_000 });
    await settle(page);
    findings.push(...(await audit(page, 'experiment optimizers-mnist, cancelled')));
    await page.keyboard.press('Control+Digit1');

    await page.getByTestId('nav-history').click();
    await expect(page.getByTestId('history-row')).toHaveCount(3);
    await settle(page);
    findings.push(...(await audit(page, 'history')));
    // The Columns menu open: a labelled checkbox per column that can be hidden.
    const columnsMenu = page.getByTestId('history-columns').locator('summary');
    await columnsMenu.click();
    await expect(page.getByTestId('history-column-notes')).toBeVisible();
    findings.push(...(await audit(page, 'history, columns menu open')));
    await columnsMenu.click();
    // A run's notes being edited, a star set.
    await page.getByTestId('history-row').last().getByTestId('history-star').click();
    await page.getByTestId('history-row').last().getByTestId('history-edit-notes').click();
    await expect(page.getByTestId('run-meta-editor')).toBeVisible();
    await settle(page);
    findings.push(...(await audit(page, 'history, notes editor open')));
    await page.getByTestId('nav-history').click();

    await page
      .getByTestId('history-row')
      .filter({ hasText: 'optimizer-paths' })
      .first()
      .getByTestId('history-open')
      .click();
    await expect(page.getByTestId('run-command-line')).toBeVisible();
    await settle(page);
    findings.push(...(await audit(page, 'run')));

    // The run's figure is described by its title and its series (the optimizers of Fig. 6-8).
    const [paths] = await chartLabels(page);
    expect(paths?.label).toContain(locale === 'en' ? 'Series: SGD' : '数据系列：SGD');

    await page.getByTestId('nav-history').click();
    // The table draws its rows after the page shows: wait for both before selecting them.
    const pathRuns = page.getByTestId('history-row').filter({ hasText: 'optimizer-paths' });
    await expect(pathRuns).toHaveCount(2);
    for (const row of await pathRuns.all()) await row.getByTestId('history-select').check();
    await page.getByTestId('history-compare').click();
    await expect(page.getByTestId('compare-view')).toBeVisible();
    await settle(page);
    findings.push(...(await audit(page, 'compare')));

    // The workbench with a finished run (its figures and checks) and a third variant's card.
    await runAt(page, '#/experiment/workbench?trainSize=100&epochs=1&seeds=1');
    await page.getByTestId('variant-add').click();
    await expect(page.getByTestId('variant-card')).toHaveCount(3);
    await settle(page);
    findings.push(...(await audit(page, 'workbench, run finished, three variants')));

    // That run's page with what its nets learned, its .npz help open and a digit drawn on the pad.
    const workbenchRun = await page.locator('.progress-box').getAttribute('data-run-id');
    await page.evaluate((id) => (location.hash = `#/history/${id}`), workbenchRun);
    await expect(page.getByTestId('what-it-learned')).toBeVisible();
    await page.getByTestId('npz-help').locator('summary').click();
    await drawSeven(page);
    await expect(page.getByTestId('digit-top-0')).toBeVisible();
    await settle(page);
    findings.push(...(await audit(page, 'run, what it learned, a digit drawn')));

    writeFileSync(testInfo.outputPath('axe-violations.json'), JSON.stringify(findings, null, 2));
    const nodes = findings.reduce((n, f) => n + f.nodes.length, 0);
    const pages = new Set(findings.map((f) => f.page)).size;
    expect(
      findings,
      `${findings.length} violation(s), ${nodes} node(s) on ${pages} page(s) (${locale}):\n${report(findings)}`,
    ).toEqual([]);
  });
}
