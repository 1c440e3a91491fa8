import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { linePrinted, startRedis, stopped } from '../../src/engine/queue/redis-server.test-helpers';

/**
 * The built app (out/, package.json, package-lock.json) copied into a temporary folder outside the
 * checkout, with `npm ci --omit=dev`: only production dependencies (and the optional tfjs-node, whose
 * native library is not fetched: --ignore-scripts, so the engine takes the wasm backend as an
 * installed app without that download would). From there it runs the web host (the page, an `info`
 * call and a run in its worker process), every experiment through the bundled command line
 * (out/main/cli.js) at the golden runs' reduced sizes, and `lab figures`. A module the app needs at run
 * time that sits in devDependencies is missing there, and the step that loads it fails.
 */
const REPO = path.resolve(import.meta.dirname, '../..');
const GOLDEN = path.join(REPO, 'fixtures', 'golden');
const EXPERIMENTS = readdirSync(GOLDEN)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as PackageJson;

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (killed after timeoutMs), collecting its output. */
function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Done> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** No module path or backend forced from outside: the app finds everything from its own folder. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['NODE_PATH', 'NODE_OPTIONS', 'DLFS_BACKEND', 'DLFS_WASM_DIR']) delete env[name];
  return env;
}

/** npm as the running npm script uses it (npm_execpath), else the one on the PATH. */
function npm(args: string[], cwd: string, timeoutMs: number): Promise<Done> {
  const cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli)) return run(process.execPath, [cli, ...args], cwd, timeoutMs);
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, cwd, timeoutMs);
}

/** The bare module names a bundle imports (static, dynamic with a literal, require). */
function bareImports(code: string): Set<string> {
  const names = new Set<string>();
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g;
  for (const match of code.matchAll(pattern)) {
    const spec = match[1]!;
    if (spec.startsWith('node:') || builtinModules.includes(spec)) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  }
  return names;
}

let dir = '';
let app = '';

beforeAll(async () => {
  if (!existsSync(path.join(REPO, 'out', 'main', 'cli.js'))) {
    throw new Error('out/ has no build: run `npm run build` first (npm run test:prod-deps does).');
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-prod-deps-'));
  app = path.join(dir, 'app');
  cpSync(path.join(REPO, 'out'), path.join(app, 'out'), { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) cpSync(path.join(REPO, file), path.join(app, file));
  const install = await npm(
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    app,
    170_000,
  );
  if (install.code !== 0) throw new Error(`npm ci --omit=dev failed:\n${install.stderr}`);
  mkdirSync(path.join(dir, 'runs'));
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built app with production dependencies only', () => {
  it('has every package the bundles import among the dependencies, installed', () => {
    const installed = (name: string) => existsSync(path.join(app, 'node_modules', name, 'package.json'));
    // npm left out the devDependencies (those no dependency needs too).
    for (const name of ['electron', 'electron-builder', 'electron-vite', 'tsx', 'vite', 'vitest']) {
      expect(installed(name), `${name} (a devDependency) is installed`).toBe(false);
    }
    const runtime = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
    const bundles = ['main', 'preload'].flatMap((folder) =>
      readdirSync(path.join(app, 'out', folder))
        .filter((file) => /\.c?js$/.test(file))
        .map((file) => path.join(app, 'out', folder, file)),
    );
    for (const bundle of bundles) {
      for (const name of bareImports(readFileSync(bundle, 'utf8'))) {
        // Electron provides 'electron' itself, in the main process and the preload.
        if (name === 'electron') continue;
        const where = `${path.relative(app, bundle)} imports ${name}`;
        expect(runtime.has(name), `${where}, which is not in dependencies`).toBe(true);
        if (!Object.hasOwn(pkg.optionalDependencies ?? {}, name)) {
          expect(installed(name), `${where}, which npm ci --omit=dev did not install`).toBe(true);
        }
      }
    }
  });

  it('serves the lab: the page, the info call and a run in its worker', async () => {
    const host: ChildProcess = spawn(
      process.execPath,
      ['out/main/host.js', '--port', '0', '--history', path.join(dir, 'state')],
      { cwd: app, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    host.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        host.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const found = /listening on (http:\/\/\S+)/.exec(output);
          if (found) resolve(found[1]!);
        });
        host.on('exit', (code) => reject(new Error(`the web host exited (${code}):\n${output}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<script');

      const origin = url.replace(/\/$/, '');
      const socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/api`, { origin });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      const messages: unknown[] = [];
      const waiters: {
        test: (message: Record<string, unknown>) => boolean;
        resolve: (m: Record<string, unknown>) => void;
      }[] = [];
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as Record<string, unknown>;
        messages.push(message);
        for (const waiter of waiters.splice(0)) {
          if (waiter.test(message)) waiter.resolve(message);
          else waiters.push(waiter);
        }
      });
      const next = (test: (message: Record<string, unknown>) => boolean) =>
        new Promise<Record<string, unknown>>((resolve) => waiters.push({ test, resolve }));

      const infoReply = next((m) => m.id === 1);
      socket.send(JSON.stringify({ id: 1, method: 'info', args: [] }));
      const info = await infoReply;
      expect(info.type, JSON.stringify(info)).toBe('result');
      const result = info.result as { host: string; datasetIsDefault: boolean; datasetDir: string };
      expect(result.host).toBe('web');
      expect(result.datasetIsDefault).toBe(true);
      expect(result.datasetDir.startsWith(app)).toBe(true);

      const golden = JSON.parse(readFileSync(path.join(GOLDEN, 'optimizers-mnist.json'), 'utf8')) as {
        params: Record<string, unknown>;
      };
      const finished = next((m) => {
        const event = (m.event as { event?: { type?: string } } | undefined)?.event;
        return m.type === 'run-event' && (event?.type === 'finished' || event?.type === 'failed');
      });
      socket.send(
        JSON.stringify({
          id: 2,
          method: 'startRun',
          args: [{ experiment: 'optimizers-mnist', params: golden.params }],
        }),
      );
      const end = (await finished).event as { event: { type: string; record?: { status: string; backend?: string } } };
      expect(end.event.type, JSON.stringify(end.event).slice(0, 500)).toBe('finished');
      expect(end.event.record?.status).toBe('completed');
      socket.close();
    } finally {
      host.kill('SIGTERM');
    }
  });

  it.each(EXPERIMENTS)('runs %s through the bundled command line', async (id) => {
    const out = path.join(dir, 'runs', `${id}.json`);
    const done = await run(
      process.execPath,
      ['out/main/cli.js', 'run', '--from', path.join(GOLDEN, `${id}.json`), '--quiet', '--out', out],
      app,
      110_000,
    );
    expect(done.code, done.stderr).toBe(0);
    const record = JSON.parse(readFileSync(out, 'utf8')) as { status: string; experiment: string; series: unknown[] };
    expect(record.experiment).toBe(id);
    expect(record.status).toBe('completed');
    expect(record.series.length).toBeGreaterThan(0);
  });

  it('draws every figure with lab figures', async () => {
    const figures = path.join(dir, 'figures');
    const fromRuns = await run(
      process.execPath,
      ['out/main/cli.js', 'figures', '--from', path.join(dir, 'runs'), '--out', figures, '--quiet'],
      app,
      110_000,
    );
    expect(fromRuns.code, fromRuns.stderr).toBe(0);
    const pngs = readdirSync(figures).filter((file) => file.endsWith('.png'));
    for (const id of EXPERIMENTS)
      expect(
        pngs.some((file) => file.startsWith(`${id}-`)),
        id,
      ).toBe(true);

    // And its own run path: one experiment run and drawn by `lab figures`.
    const fresh = path.join(dir, 'figures-run');
    const ran = await run(
      process.execPath,
      [
        'out/main/cli.js',
        'figures',
        '--only',
        'optimizer-paths',
        '--set-optimizer-paths',
        'steps=5',
        '--out',
        fresh,
        '--quiet',
      ],
      app,
      60_000,
    );
    expect(ran.code, ran.stderr).toBe(0);
    expect(readdirSync(fresh).some((file) => file.endsWith('.png'))).toBe(true);
  });

  it('runs a search whose trials a bundled lab worker trains from Redis', async () => {
    const redis = await startRedis();
    const worker = spawn(process.execPath, ['out/main/cli.js', 'worker', '--queue', redis.url, '--name', 'bundled'], {
      cwd: app,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await linePrinted(worker, /takes search trials/);
      const done = await run(
        process.execPath,
        [
          'out/main/cli.js',
          'run',
          'hyperparameter-search',
          '--queue',
          redis.url,
          '--set',
          'trials=2',
          '--set',
          'epochs=1',
        ],
        app,
        110_000,
      );
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toMatch(/trial 1 on worker bundled/);
      expect(done.stdout).toMatch(/trial 2 on worker bundled/);
    } finally {
      await stopped(worker);
      await redis.stop();
    }
  });
});
