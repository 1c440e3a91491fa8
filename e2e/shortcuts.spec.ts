/// <reference lib="dom" />
import { readFile } from 'node:fs/promises';
import { EXPERIMENT_IDS } from '../src/shared/experiments';
import { EXPERIMENT_KEY_COUNT } from '../src/shared/shortcut-keys';
import { expect, test } from './fixtures';

/**
 * Issue 12: the keyboard shortcuts. Ctrl+1..9 open the experiments in the list's order, Ctrl+Enter
 * runs the experiment on screen (from anywhere on the page, a form field too), Esc cancels its run.
 */

test('Ctrl+1..9 open the experiments in the order of the list', async ({ lab }) => {
  const { page } = lab;
  await expect(page.getByTestId('run-button')).toBeVisible();
  for (const [index, id] of [...EXPERIMENT_IDS.slice(0, EXPERIMENT_KEY_COUNT).entries()].reverse()) {
    await page.keyboard.press(`Control+Digit${index + 1}`);
    await expect(page).toHaveURL(new RegExp(`#/experiment/${id}(\\?|$)`));
    await expect(page.getByTestId(`nav-${id}`)).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('run-button')).toBeVisible();
  }
  // From the history too; a digit past the list (while it has fewer than nine) does nothing.
  await page.getByTestId('nav-history').click();
  for (let digit = EXPERIMENT_IDS.length + 1; digit <= EXPERIMENT_KEY_COUNT; digit++) {
    await page.keyboard.press(`Control+Digit${digit}`);
    await expect(page).toHaveURL(/#\/history$/);
  }
  await page.keyboard.press('Control+Digit2');
  await expect(page).toHaveURL(new RegExp(`#/experiment/${EXPERIMENT_IDS[1]}(\\?|$)`));
});

test('Ctrl+Enter runs the experiment on screen, from a form field too', async ({ lab }) => {
  const { page } = lab;
  await page.getByTestId(`nav-optimizer-paths`).click();
  await page.getByTestId('param-steps').fill('5');
  // Focus stays in the field: the shortcut still runs.
  await page.getByTestId('param-steps').press('Control+Enter');
  await expect(page.getByTestId('run-status')).toHaveText('completed', { timeout: 60_000 });

  // With focus on the page itself, the same.
  await page.locator('h1').click();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-status')).toHaveText(/running|completed/);
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);
});

test('Esc cancels the run on screen, not while a field is being edited', async ({ lab }) => {
  const { page } = lab;
  await page.keyboard.press('Control+Digit2');
  await expect(page).toHaveURL(new RegExp(`#/experiment/${EXPERIMENT_IDS[1]}(\\?|$)`));
  await page.getByTestId('param-iterations').fill('50000');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 60_000 });

  // Esc in a text field belongs to the field.
  await page.getByTestId('param-iterations').press('Escape');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('run-status')).toHaveText('running');

  await page.locator('h1').click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('run-status')).toHaveText('cancelled', { timeout: 30_000 });
});

/**
 * Every control of a page is reached with Tab, in the page's order, and shows where the focus is; the
 * first stop is the skip link, which moves the focus past the sidebar to the page.
 */
test('Tab reaches every control of the pages, each with a visible focus ring', async ({ lab }) => {
  const { page } = lab;
  for (const hash of ['#/experiment/optimizers-mnist', '#/experiment/optimizer-paths', '#/history']) {
    await page.evaluate((h) => (location.hash = h), hash);
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForTimeout(300);
    // Every visible, enabled control, numbered in document order.
    const total = await page.evaluate(() => {
      const selector =
        'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea, summary, [tabindex]:not([tabindex="-1"])';
      // What a closed <details> holds (the History's Columns menu) is reached once it is opened.
      const folded = (el: HTMLElement) => el.tagName !== 'SUMMARY' && el.closest('details:not([open])') !== null;
      const controls = Array.from(document.querySelectorAll<HTMLElement>(selector)).filter(
        (el) => (el.getClientRects().length > 0 || el.classList.contains('skip-link')) && !folded(el),
      );
      controls.forEach((el, i) => (el.dataset.kbd = String(i)));
      (document.activeElement as HTMLElement | null)?.blur();
      return controls.length;
    });
    expect(total).toBeGreaterThan(5);
    const reached = new Set<string>();
    const unringed: string[] = [];
    const extra: string[] = [];
    for (let i = 0; i < 2 * total + 10 && reached.size < total; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        return { id: el.dataset.kbd ?? '', ring, name: el.dataset.testid ?? el.outerHTML.slice(0, 80) };
      });
      if (!focus) continue;
      if (!focus.id) extra.push(focus.name);
      reached.add(focus.id);
      if (!focus.ring) unringed.push(focus.name);
    }
    const missed = await page.evaluate(
      (ids) =>
        Array.from(document.querySelectorAll<HTMLElement>('[data-kbd]'))
          .filter((el) => !ids.includes(el.dataset.kbd!))
          .map((el) => el.dataset.testid ?? el.outerHTML.slice(0, 80)),
      [...reached],
    );
    expect(missed, `${hash}: controls Tab never reached (reached besides: ${extra.join(', ')})`).toEqual([]);
    expect(unringed, `${hash}: controls focused without a visible ring`).toEqual([]);
  }

  // The skip link takes the focus past the sidebar.
  await lab.reload();
  await expect(page.locator('main h1')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
});

test('Ctrl+Shift+E exports the chart in view as PNG (the File menu does the same in Electron)', async ({ lab }) => {
  const { page } = lab;
  await page.getByTestId('nav-optimizer-paths').click();
  const charts = page.locator('figure.echart');
  await expect(charts).toHaveCount(2);
  const pressAndSave = async () => {
    const download = page.waitForEvent('download');
    await page.keyboard.press('Control+Shift+KeyE');
    const file = await download;
    const bytes = await readFile(await file.path());
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    return file.suggestedFilename();
  };
  // The page scrolled to its last chart: that one is exported; at the top, none shows, the nearest is.
  const chartName = async (index: number) =>
    (await charts.nth(index).locator('[data-testid^="chart-"]').getAttribute('data-testid'))!.replace(/^chart-/, '');
  await charts.nth(1).scrollIntoViewIfNeeded();
  await page.locator('main h1').evaluate((h1) => h1.blur());
  expect(await pressAndSave()).toContain(await chartName(1));
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('main').evaluate((main) => main.scrollTo?.(0, 0));
  expect(await pressAndSave()).toContain(await chartName(0));
});
