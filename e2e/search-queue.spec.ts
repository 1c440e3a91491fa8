import { spawn } from 'node:child_process';
import path from 'node:path';
import { linePrinted, startRedis, stopped } from '../src/engine/queue/redis-server.test-helpers';
import { openExperiment, runToCompletion } from './experiment';
import { expect, test } from './fixtures';

/**
 * Issue 20: the app points a search at a Redis queue (a lab setting) and shows which worker trained
 * each trial: the real redis-server, a real `lab worker` process, the real host.
 */
test('a search on a queue: the setting, and each trial’s worker in the table', async ({ lab }) => {
  const redis = await startRedis();
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/index.ts', 'worker', '--queue', redis.url, '--name', 'e2e-worker'],
    { cwd: path.resolve(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await linePrinted(worker, /takes search trials/);
    const { page } = lab;
    await openExperiment(page, 'hyperparameter-search', { trials: '3', epochs: '2', trainSize: '200' });
    const setting = page.getByTestId('trial-queue');
    await expect(setting.getByTestId('trial-queue-now')).toHaveText('in this lab');
    await setting.locator('summary').click();
    await setting.getByTestId('trial-queue-url').fill('http://not-redis');
    await setting.getByTestId('trial-queue-apply').click();
    await expect(setting.getByTestId('trial-queue-error')).toContainText('redis://');
    await setting.getByTestId('trial-queue-url').fill(redis.url);
    await setting.getByTestId('trial-queue-apply').click();
    await expect(setting.getByTestId('trial-queue-now')).toHaveText(`on the workers of ${redis.url}`);
    await setting.screenshot({ path: test.info().outputPath('trial-queue.png') });

    await runToCompletion(page);
    const rows = page.getByTestId('trial-row');
    await expect(rows).toHaveCount(3);
    for (const row of await rows.all()) await expect(row).toContainText('on e2e-worker');
    await page.getByTestId('trials-table').screenshot({ path: test.info().outputPath('trials-on-worker.png') });

    await setting.getByTestId('trial-queue-here').click();
    await expect(setting.getByTestId('trial-queue-now')).toHaveText('in this lab');
  } finally {
    await stopped(worker);
    await redis.stop();
  }
});
