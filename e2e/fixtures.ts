import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type ElectronApplication, type Page, test as base, chromium, expect } from '@playwright/test';
import { _electron } from 'playwright';

/**
 * The `lab` fixture: the real lab, started fresh for each test with an empty history, under the
 * project's host. web: the web host (node out/main/host.js) in Debian's Chromium; electron: the built
 * app (out/main/index.js) under Electron, skipped with its reason where Electron cannot run.
 */
export interface Lab {
  page: Page;
  host: 'web' | 'electron';
  historyDir: string;
  /** Kills the training worker process(es) with SIGKILL, as a crash would. */
  killWorker(): number;
  /** Reloads the renderer (the lab keeps running). */
  reload(): Promise<void>;
  /** Clicks an export button and returns the PNG file the host saved (web: a download). */
  exportPng(buttonTestId: string): Promise<Buffer>;
  /** Clicks any export button (PNG, SVG, CSV, JSON) and returns the file saved: its suggested name and bytes. */
  exportFile(buttonTestId: string): Promise<{ name: string; content: Buffer }>;
}

import { ROOT } from './paths';
export const CHROMIUM = process.env.DLFS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function electronBinary(): string | undefined {
  try {
    const dir = path.join(ROOT, 'node_modules', 'electron');
    const binary = path.join(dir, 'dist', readFileSync(path.join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** PIDs of the processes under `parent` whose command line matches `pattern`. */
function descendants(parent: number, pattern: RegExp): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = table
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const row of rows.filter((r) => r.ppid === pid)) {
      if (pattern.test(row.args)) found.push(row.pid);
      walk(row.pid);
    }
  };
  walk(parent);
  return found;
}

function killAll(pids: number[]): number {
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  return pids.length;
}

async function startWebHost(historyDir: string): Promise<{ process: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'out/main/host.js'), '--port', '0', '--history', historyDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = output.match(/listening on (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`web host exited with code ${code}: ${output}`)));
  });
  return { process: child, url };
}

function ensureDisplay(): { env: Record<string, string>; stop: () => void } {
  if (process.env.DISPLAY) return { env: {}, stop: () => {} };
  const display = `:${90 + (process.pid % 9)}`;
  const xvfb = spawn('Xvfb', [display, '-screen', '0', '1400x1000x24'], { stdio: 'ignore' });
  return { env: { DISPLAY: display }, stop: () => xvfb.kill() };
}

/** Web host: the export is a download. */
async function exportByDownload(page: Page, buttonTestId: string): Promise<{ name: string; content: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(buttonTestId).click()]);
  return { name: download.suggestedFilename(), content: readFileSync(await download.path()) };
}

/** Electron: the native save dialog cannot be clicked; it is answered with a file in the test's folder. */
async function exportBySaveDialog(
  app: ElectronApplication,
  page: Page,
  dir: string,
  buttonTestId: string,
): Promise<{ name: string; content: Buffer }> {
  const type = buttonTestId.match(/^export-(png|svg|csv|json|npz)\b/)?.[1] ?? 'png';
  const file = path.join(dir, `export-${Date.now()}.${type}`);
  const suggested = await app.evaluate(({ dialog }, target) => {
    const seen: { name?: string } = {};
    (globalThis as { __dlfsExport?: typeof seen }).__dlfsExport = seen;
    dialog.showSaveDialog = async (...args: unknown[]) => {
      const options = args.at(-1) as { defaultPath?: string };
      seen.name = options.defaultPath;
      return { canceled: false, filePath: target };
    };
    return target;
  }, file);
  await page.getByTestId(buttonTestId).click();
  await expect.poll(() => existsSync(suggested)).toBe(true);
  const name = await app.evaluate(() => (globalThis as { __dlfsExport?: { name?: string } }).__dlfsExport?.name ?? '');
  return { name, content: readFileSync(suggested) };
}

export const test = base.extend<{ lab: Lab }, { browserInstance: Browser | undefined }>({
  browserInstance: [
    async ({}, use, workerInfo) => {
      if (workerInfo.project.name !== 'web') return use(undefined);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  lab: async ({ browserInstance }, use, testInfo) => {
    const historyDir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-e2e-'));
    try {
      if (testInfo.project.name === 'web') {
        const host = await startWebHost(historyDir);
        const context = await browserInstance!.newContext({
          viewport: { width: 1280, height: 900 },
          acceptDownloads: true,
        });
        const page = await context.newPage();
        await page.goto(host.url);
        await use({
          page,
          host: 'web',
          historyDir: path.join(historyDir, 'runs'),
          killWorker: () => killAll(descendants(host.process.pid!, /worker\.js/)),
          reload: async () => {
            await page.reload();
          },
          exportPng: async (buttonTestId) => (await exportByDownload(page, buttonTestId)).content,
          exportFile: (buttonTestId) => exportByDownload(page, buttonTestId),
        });
        await context.close();
        host.process.kill('SIGTERM');
      } else {
        const binary = electronBinary();
        test.skip(
          !binary,
          'Electron binary not found (node_modules/electron/dist): it downloads on first use from outside the npm registry, which this machine cannot reach. The web project runs the same specs.',
        );
        const display = ensureDisplay();
        let app: ElectronApplication | undefined;
        try {
          app = await _electron.launch({
            executablePath: binary!,
            args: [path.join(ROOT, 'out/main/index.js')],
            cwd: ROOT,
            env: { ...(process.env as Record<string, string>), ...display.env, DLFS_USER_DATA: historyDir },
          });
          const page = await app.firstWindow();
          await page.setViewportSize({ width: 1280, height: 900 });
          const electronPid = app.process().pid!;
          await use({
            page,
            host: 'electron',
            historyDir: path.join(historyDir, 'runs'),
            killWorker: () => killAll(descendants(electronPid, /--utility-sub-type=node\.mojom\.NodeService/)),
            reload: async () => {
              await page.reload();
            },
            exportPng: async (buttonTestId) => (await exportBySaveDialog(app!, page, historyDir, buttonTestId)).content,
            exportFile: (buttonTestId) => exportBySaveDialog(app!, page, historyDir, buttonTestId),
          });
        } finally {
          await app?.close();
          display.stop();
        }
      }
    } finally {
      rmSync(historyDir, { recursive: true, force: true });
    }
  },
});

export { expect };
