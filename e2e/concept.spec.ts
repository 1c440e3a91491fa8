import type { Page } from '@playwright/test';
import { EXPERIMENT_IDS, slotOf } from '../src/shared/experiments';
import { LOCALES } from '../src/shared/slots/slot';
import { openExperiment } from './experiment';
import { expect, test } from './fixtures';

/**
 * The concept panel of every experiment page (issue 10): its formulas typeset by the bundled KaTeX
 * (fonts included, nothing fetched from elsewhere), captions and what to look for in the UI language,
 * symbols tied to the form, and the search's step.
 */

/** Console errors, page errors and requests that leave the lab's own origin, from now on. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  const origin = new URL(page.url()).origin;
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (/^https?:/.test(url) && !url.startsWith(origin) && !url.startsWith('ws')) problems.push(`request: ${url}`);
  });
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
  return problems;
}

test('every experiment page shows its concept with typeset formulas, in English and Chinese', async ({ lab }) => {
  const { page } = lab;
  const problems = watchProblems(page);
  await lab.reload();
  for (const locale of LOCALES) {
    await page.getByTestId('language-select').selectOption(locale);
    for (const id of EXPERIMENT_IDS) {
      const concept = slotOf(id).concept;
      await page.getByTestId(`nav-${id}`).click();
      const panel = page.getByTestId('concept-panel');
      await expect(panel).toBeVisible();
      const formulas = panel.getByTestId('concept-formula');
      await expect(formulas).toHaveCount(concept.formulas.length);
      for (const formula of await formulas.all()) await expect(formula.locator('.katex').first()).toBeVisible();
      await expect(panel.locator('.katex-error')).toHaveCount(0);
      await expect(panel.getByTestId('concept-look-for')).toHaveText(concept.lookFor[locale]);
      await expect(panel.locator('figcaption').first()).toContainText(concept.formulas[0]!.caption[locale]);
    }
  }
  // KaTeX's own fonts, served by the lab: the math is drawn in them, not in a fallback.
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    const loaded: string[] = [];
    document.fonts.forEach((font) => {
      if (font.status === 'loaded') loaded.push(font.family.replaceAll('"', ''));
    });
    return loaded;
  });
  expect(fonts).toContain('KaTeX_Main');
  expect(fonts).toContain('KaTeX_Math');
  expect(problems).toEqual([]);
});

test('a symbol chip shows its field’s value and highlights the field; the search shows its step', async ({ lab }) => {
  const { page } = lab;
  const problems = watchProblems(page);
  await lab.reload();
  await page.getByTestId('nav-dropout').click();
  const chip = page.locator('[data-testid="concept-symbol"][data-param="dropoutRatio"]').first();
  await expect(chip).toContainText('= 0.2');
  await page.getByTestId('param-dropoutRatio').fill('0.35');
  await expect(chip).toContainText('= 0.35');
  await chip.hover();
  await expect(page.getByTestId('param-dropoutRatio')).toHaveClass(/concept-linked/);
  await page.mouse.move(0, 0);
  await expect(page.getByTestId('param-dropoutRatio')).not.toHaveClass(/concept-linked/);

  await page.getByTestId('nav-optimizers-mnist').click();
  const momentum = page.locator('[data-testid="concept-symbol"][data-param="optimizers.Momentum.momentum"]');
  await expect(momentum).toContainText('= 0.9');
  await momentum.focus();
  await expect(page.getByTestId('param-optimizers-Momentum-momentum')).toHaveClass(/concept-linked/);

  // The search's steps as the book numbers them: 0 (set the ranges) before any run, 1-2 (sample, train and
  // evaluate) while it goes, 3-4 (narrow the ranges: brush the scatter; or evaluate on the test data once)
  // once it has ended.
  await openExperiment(page, 'hyperparameter-search', { trials: '2', epochs: '1', trainSize: '100' });
  const step = page.getByTestId('search-step');
  await expect(step).toHaveAttribute('data-step', '0');
  await page.getByTestId('run-button').click();
  await expect(step).toHaveAttribute('data-step', /^(1-2|3-4)$/);
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 120_000 });
  await expect(step).toHaveAttribute('data-step', '3-4');
  expect(problems).toEqual([]);
});
