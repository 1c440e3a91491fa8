/**
 * The History page of the real app over a generated history: the built web host (out/main/host.js,
 * `npm run build` first) in Debian's Chromium, from clicking History to the first rows drawn with the
 * count of all runs. `npm run bench:history -- --page` runs it after generating the runs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What the page runs: from the click on History until its first rows are drawn and it knows every run
 * ("… of N shown"). Source text, not a function: the bench runs under tsx, whose helpers the page lacks.
 */
const timeHistoryScript = (total: number) => `(async () => {
  const start = performance.now();
  location.hash = '#/history';
  const ready = () => document.querySelector('[data-testid=history-show-more]')?.textContent?.includes(' ${total}');
  while (!ready() && performance.now() - start < 30000) await new Promise((tick) => setTimeout(tick, 2));
  if (!ready()) throw new Error('the History page did not show its ${total} runs');
  return performance.now() - start;
})()`;

/** Times the History page `reps` times over the runs in `stateDir`/runs; the milliseconds of each. */
export async function timeHistoryPage(stateDir: string, total: number, reps: number): Promise<number[]> {
  const hostScript = join(ROOT, 'out/main/host.js');
  if (!existsSync(hostScript)) throw new Error('out/main/host.js is missing: npm run build first');
  const host = spawn(process.execPath, [hostScript, '--port', '0', '--history', stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise<string>((found, failed) => {
      host.stdout.on('data', (data: Buffer) => {
        const match = /http:\/\/[\d.:]+\/?/.exec(String(data));
        if (match) found(match[0]);
      });
      host.on('exit', (code) => failed(new Error(`the web host exited (${code})`)));
    });
    const browser = await chromium.launch({
      executablePath: process.env.DLFS_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.getByTestId('run-button').waitFor();
      const times: number[] = [];
      for (let r = 0; r < reps; r++) {
        await page.evaluate(() => (location.hash = '#/experiment/dropout'));
        await page.getByTestId('run-button').waitFor();
        times.push(await page.evaluate<number>(timeHistoryScript(total)));
      }
      return times;
    } finally {
      await browser.close();
    }
  } finally {
    host.kill();
  }
}
