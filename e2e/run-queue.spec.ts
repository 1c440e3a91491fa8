/// <reference lib="dom" />
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** The run queue as the learner sees it (one run trains at a time by default). */

/** A long optimizers-mnist run that trains, then an optimizer-paths run that waits behind it (page left on it). */
async function trainOneQueueAnother(page: Page): Promise<void> {
  await page.getByTestId('nav-optimizers-mnist').click();
  await page.getByTestId('param-iterations').fill('50000');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 60_000 });
  await page.getByTestId('nav-optimizer-paths').click();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('queued');
}

test('a second run waits in the queue with its place, shows in History, and cancels', async ({ lab }) => {
  const { page } = lab;
  await trainOneQueueAnother(page);
  await expect(page.locator('.progress-box [data-testid="status-text"]')).toHaveText(
    /queued, 1st in line|排队中，第 1 位/,
  );

  await page.getByTestId('nav-history').click();
  const row = page.getByTestId('history-row').filter({ hasText: 'optimizer-paths' });
  await expect(row.getByTestId('status-text')).toHaveText(/queued, 1st in line|排队中，第 1 位/);

  await page.getByTestId('nav-optimizer-paths').click();
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
  await expect(page.getByTestId('run-error')).toContainText('before it started');

  await page.getByTestId('nav-optimizers-mnist').click();
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
});

test('raising "runs at once" starts the queued run, and the lab remembers the setting', async ({ lab }) => {
  const { page } = lab;
  const select = page.getByTestId('runs-at-once');
  await expect(select).toHaveValue('1');
  test.skip((await select.locator('option').count()) < 2, 'one core: one run at a time is all this machine allows');

  await trainOneQueueAnother(page);
  await select.selectOption('2');
  await expect(page.getByTestId('run-status')).toHaveText(/running|completed/);
  await lab.reload();
  await expect(page.getByTestId('runs-at-once')).toHaveValue('2');

  await page.getByTestId('nav-optimizers-mnist').click();
  await page.getByTestId('cancel-button').click();
  await expect(page.getByTestId('run-status')).toHaveText('cancelled');
});
