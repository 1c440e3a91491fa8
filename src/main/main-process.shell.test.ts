import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MNIST_DIR } from '../services/lab-service.test-helpers';
import type { RunEvent } from '../shared/api';
import { labCallChannel } from '../shared/ipc-channels';
import { LAB_CALL_NAMES, type LabCallName } from '../shared/lab-calls';
import type { Points, RunRecord } from '../shared/runs';
import {
  BUILT_MAIN,
  BUILT_OUT,
  MainProcess,
  PAGE,
  REPO,
  processExists,
} from './electron-double/main-process.test-helpers';

/**
 * The built Electron main process (out/main/index.js, unmodified) under plain Node, with a double of
 * Electron (src/main/electron-double/) and everything else real: the LabService, the history on disk,
 * the training worker as a real child process (utilityProcess.fork) on the real MNIST. Runs after
 * `npm run build` (`npm run test:shell`).
 */

const userData = mkdtempSync(path.join(os.tmpdir(), 'dlfs-shell-'));
const APP_VERSION = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
/** A run long enough to still be training whenever a test interrupts it. */
const LONG_RUN = { experiment: 'optimizers-mnist', params: { iterations: 50_000, optimizers: ['SGD'] } } as const;

let lab: MainProcess;
/** The calls the tests made from the page, to check that every one of the table was. */
const called = new Set<LabCallName>();

const call: MainProcess['call'] = (name, args, from = PAGE) => {
  if (from === PAGE) called.add(name);
  return lab.call(name, args, from);
};

/** The events of a run the lab window received (from the main process `from`, by default the current one). */
const eventsOf = (runId: string, from = lab): RunEvent['event'][] =>
  from.runEventsSentTo(from.labWindowContents()).flatMap((e) => (e.runId === runId ? [e.event] : []));
const endOf = (runId: string) => eventsOf(runId).find((e) => e.type === 'finished' || e.type === 'failed');
const progressCount = (runId: string) => eventsOf(runId).filter((e) => e.type === 'progress').length;

/** Every point the window received for a run, gathered per series as the renderer does. */
function receivedPoints(runId: string, from = lab): Map<string, Points> {
  const bySeries = new Map<string, Points>();
  for (const event of eventsOf(runId, from)) {
    if (event.type !== 'progress') continue;
    for (const p of event.points) {
      const have = bySeries.get(p.series) ?? { ...p, x: [], y: [] };
      have.x.push(...p.x);
      have.y.push(...p.y);
      bySeries.set(p.series, have);
    }
  }
  return bySeries;
}

/** The record holds every point the window received, in order, and no series the window never saw. */
function expectRecordKeepsReceivedPoints(record: RunRecord, runId: string, from = lab): void {
  const received = receivedPoints(runId, from);
  expect(received.size).toBeGreaterThan(0);
  for (const [name, points] of received) {
    const series = record.series.find((s) => s.name === name && s.metric === points.metric);
    expect(series, `series ${name} in the record`).toBeDefined();
    expect(series!.key).toEqual(points.key);
    expect(series!.x).toEqual(points.x);
    expect(series!.y).toEqual(points.y);
  }
  const recorded = record.series.filter((s) => s.x.length > 0).map((s) => s.name);
  expect(recorded.sort()).toEqual([...received.keys()].sort());
}

async function startedLab(): Promise<MainProcess> {
  const started = MainProcess.start(userData);
  await started.waitFor(
    () =>
      started.events.some((e) => e.kind === 'window-shown') && started.events.some((e) => e.kind === 'utility-fork'),
    'the window to show and the warm worker to start',
  );
  return started;
}

beforeAll(async () => {
  lab = await startedLab();
});

afterAll(async () => {
  await lab?.stop();
  rmSync(userData, { recursive: true, force: true });
});

describe('the built main process under an Electron double', () => {
  it('opens one secured window on the built renderer and registers one handler per call of the table', async () => {
    const state = await lab.state();
    expect(state.ipcHandlers.sort()).toEqual(LAB_CALL_NAMES.map(labCallChannel).sort());
    expect(state.paths.userData).toBe(userData);
    expect(state.windows).toHaveLength(1);
    const [window] = state.windows;
    expect(window).toMatchObject({ shown: true, destroyed: false, title: 'DLFS Lab' });
    expect(window!.url).toBe(pathToFileURL(path.join(BUILT_OUT, 'renderer', 'index.html')).href);
    expect(window!.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(window!.webPreferences.preload).toBe(path.join(path.dirname(BUILT_MAIN), '..', 'preload', 'index.cjs'));
    expect(readFileSync(window!.webPreferences.preload as string, 'utf8')).toContain('exposeInMainWorld');
    expect(state.permissionHandlers).toEqual({ request: true, check: true });
    expect(state.utilityProcesses).toHaveLength(1);
    expect(state.utilityProcesses[0]).toMatchObject({
      alive: true,
      modulePath: path.join(BUILT_OUT, 'main', 'worker.js'),
    });
    for (const event of ['before-quit', 'window-all-closed', 'web-contents-created']) {
      expect(state.appListeners[event], event).toBeGreaterThan(0);
    }
  });

  it('round-trips every LabApi call over its ipc channel, run events included', async () => {
    await expect(call('info', [])).resolves.toMatchObject({
      host: 'electron',
      historyDir: path.join(userData, 'runs'),
      datasetIsDefault: true,
      version: APP_VERSION,
    });
    await expect(call('listRuns', [])).resolves.toEqual([]);

    // A short run: its events reach the window on the run-event channel and its record matches them.
    const { runId } = await call('startRun', [
      { experiment: 'optimizers-mnist', params: { iterations: 12, optimizers: ['SGD', 'Adam'], insideEvery: 4 } },
    ]);
    const end = await lab.waitFor(() => endOf(runId), 'the short run to end');
    expect(end.type).toBe('finished');
    expect(eventsOf(runId)[0]).toMatchObject({ type: 'started', experiment: 'optimizers-mnist' });
    const record = await call('getRun', [runId]);
    expect(record).toMatchObject({ status: 'completed', experiment: 'optimizers-mnist' });
    expect(record.series.map((s) => [s.name, s.x.length])).toEqual([
      ['SGD', 12],
      ['Adam', 12],
    ]);
    expectRecordKeepsReceivedPoints(record, runId);
    // Its trained nets come on request, never with the run events.
    const nets = await call('getRunNets', [runId]);
    expect(nets?.nets.map((n) => n.label)).toEqual(['SGD', 'Adam']);
    expect(eventsOf(runId).map((e) => e.type)).not.toContain('nets');
    // So do the insides it recorded: every 4 of its 12 updates and at its last, per net.
    const inside = await call('getRunInside', [runId]);
    expect(inside?.every).toBe(4);
    expect(inside?.nets.map((n) => [n.label, n.moments.map((m) => m.step)])).toEqual([
      ['SGD', [0, 4, 8, 11]],
      ['Adam', [0, 4, 8, 11]],
    ]);
    // Step 4 of a search is refused on any other run.
    await expect(call('evaluateOnTest', [runId, 1])).rejects.toThrow(/is no hyper-parameter search/);
    await expect(call('info', [])).resolves.toMatchObject({ backend: record.backend });

    const entry = await call('updateRunMeta', [runId, { notes: 'shell test', tags: ['ipc'], starred: true }]);
    expect(entry).toMatchObject({ id: runId, status: 'completed', meta: { notes: 'shell test', starred: true } });
    await expect(call('listRuns', [])).resolves.toMatchObject([{ id: runId, meta: { tags: ['ipc'] } }]);

    // Cancelling a run: it ends cancelled, keeping what it streamed.
    const long = await call('startRun', [LONG_RUN]);
    await lab.waitFor(() => progressCount(long.runId) > 0, 'the long run to stream progress');
    await expect(call('cancelRun', [long.runId])).resolves.toBeUndefined();
    const cancelled = await lab.waitFor(() => endOf(long.runId), 'the cancelled run to end');
    expect(cancelled).toMatchObject({ type: 'finished', record: { status: 'cancelled' } });

    // Deleting: one, then several.
    await expect(call('deleteRun', [long.runId])).resolves.toBeUndefined();
    await expect(call('listRuns', [])).resolves.toMatchObject([{ id: runId }]);
    await expect(call('deleteRuns', [[runId]])).resolves.toBeUndefined();
    await expect(call('listRuns', [])).resolves.toEqual([]);

    // The folder picker (Electron's open dialog), cancelled or answered, and back to the default.
    await expect(call('chooseDatasetDir', [])).resolves.toBeNull();
    await lab.command('setDialogResults', { showOpenDialog: { canceled: false, filePaths: [MNIST_DIR] } });
    await expect(call('chooseDatasetDir', [])).resolves.toMatchObject({
      datasetDir: MNIST_DIR,
      datasetIsDefault: false,
    });
    const openDialogs = lab.events.filter((e) => e.kind === 'dialog' && e.method === 'showOpenDialog');
    expect(openDialogs).toHaveLength(2);
    expect(openDialogs[0]).toMatchObject({ options: { properties: ['openDirectory'] } });
    await expect(call('resetDatasetDir', [])).resolves.toMatchObject({ datasetIsDefault: true });

    // The save dialog writes the file where the user said.
    const saveTo = path.join(userData, 'exported.csv');
    await lab.command('setDialogResults', { showSaveDialog: { canceled: false, filePath: saveTo } });
    await expect(call('saveFile', [{ suggestedName: 'loss.csv', content: 'x,y\n1,2\n' }])).resolves.toEqual({
      saved: true,
      path: saveTo,
    });
    expect(readFileSync(saveTo, 'utf8')).toBe('x,y\n1,2\n');
    expect(lab.events.filter((e) => e.kind === 'dialog' && e.method === 'showSaveDialog')).toMatchObject([
      { options: { defaultPath: 'loss.csv', filters: [{ extensions: ['csv'] }] } },
    ]);

    // Settings the host keeps: runs at once (clamped to the cores), and the language (the menu follows it).
    await expect(call('setMaxConcurrentRuns', [1])).resolves.toMatchObject({ maxConcurrentRuns: 1 });
    const englishMenu = await lab.command('applicationMenu', {});
    expect(englishMenu?.length).toBeGreaterThan(0);
    await expect(call('setLocale', ['zh-CN'])).resolves.toBeUndefined();
    expect(await lab.command('applicationMenu', {})).not.toEqual(englishMenu);
    await call('setLocale', ['en']);
    expect(await lab.command('applicationMenu', {})).toEqual(englishMenu);
    // Where searches train their trials: a Redis queue's URL (validated), or back to the lab's own worker.
    await expect(call('setTrialQueue', ['redis://127.0.0.1:6379'])).resolves.toMatchObject({
      trialQueue: 'redis://127.0.0.1:6379',
    });
    await expect(call('setTrialQueue', ['file:///etc/passwd'])).rejects.toThrow(/bad arguments for setTrialQueue/);
    await expect(call('setTrialQueue', [null])).resolves.toMatchObject({ trialQueue: null });

    const masks = await call('dropoutMasks', [{ ratio: 0.5, seed: 1, step: 0, sizes: [6, 4] }]);
    expect(masks.map((layer) => layer.length)).toEqual([6, 4]);

    // Payloads are validated before anything runs; the page sees Electron's wrapped error.
    await expect(call('getRun', ['../../etc'])).rejects.toThrow(
      /Error invoking remote method 'lab:getRun'.*bad arguments for getRun/,
    );
    await expect(call('startRun', [{ experiment: 'optimizers-mnist', params: { iterations: 0 } }])).rejects.toThrow(
      /iterations/,
    );

    expect([...called].sort()).toEqual([...LAB_CALL_NAMES].sort());
  });

  it('refuses calls from another web contents or from a frame at another URL', async () => {
    const before = await call('listRuns', []);
    const foreign = [
      { webContents: 'other' as const },
      { webContents: 'main' as const, frameUrl: 'https://example.com/' },
      { webContents: 'main' as const, frameUrl: 'file:///tmp/index.html' },
    ];
    for (const from of foreign) {
      await expect(lab.call('info', [], from)).rejects.toThrow(/lab:info refused: not from the lab's window/);
      await expect(lab.call('startRun', [LONG_RUN], from)).rejects.toThrow(/refused/);
      await expect(lab.call('deleteRuns', [['x']], from)).rejects.toThrow(/refused/);
    }
    await expect(call('listRuns', [])).resolves.toEqual(before);
    // The same page from its own frame is still answered.
    await expect(call('info', [], PAGE)).resolves.toMatchObject({ host: 'electron' });
  });

  it('keeps every web contents on the app: no navigation away, no new window, no webview, no permission', async () => {
    const appUrl = (await lab.state()).windows[0]!.url;
    const windows = (await lab.state()).windows.length;
    for (const webContents of ['main', 'other'] as const) {
      for (const kind of ['will-navigate', 'will-redirect'] as const) {
        await expect(lab.command('navigate', { url: 'https://example.com/', kind, webContents })).resolves.toEqual({
          prevented: true,
          urlAfter: appUrl,
        });
      }
      const opened = await lab.command('openWindow', { url: 'https://example.com/', webContents });
      expect(opened).toEqual({ action: 'deny', windows: Math.max(windows, 2) });
    }
    // The rule is about where: a navigation within the app's pages goes ahead.
    const otherPage = new URL('./other.html', appUrl).href;
    for (const url of [otherPage, appUrl]) {
      await expect(lab.command('navigate', { url, kind: 'will-navigate', webContents: 'main' })).resolves.toEqual({
        prevented: false,
        urlAfter: url,
      });
    }
    const inPage = `${appUrl}#/experiment/optimizers-mnist`;
    await expect(lab.command('navigate', { url: inPage, kind: 'in-page', webContents: 'main' })).resolves.toEqual({
      prevented: false,
      urlAfter: inPage,
    });
    await expect(lab.command('attachWebview', { src: 'https://example.com/' })).resolves.toEqual({ prevented: true });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      await expect(lab.command('permission', { permission })).resolves.toEqual({
        requestGranted: false,
        checkGranted: false,
      });
    }
  });

  it('turns a SIGKILLed utility worker into a failed run that keeps every point the window received', async () => {
    const { runId } = await call('startRun', [LONG_RUN]);
    await lab.waitFor(() => progressCount(runId) >= 2, 'two progress batches');
    const { pids } = await lab.command('killUtilityProcesses', { signal: 'SIGKILL' });
    expect(pids).toHaveLength(1);
    const end = await lab.waitFor(() => endOf(runId), 'the run to fail');
    expect(end).toMatchObject({ type: 'failed', error: 'the training worker stopped: killed (exit code 9)' });
    const record = await call('getRun', [runId]);
    expect(record).toMatchObject({ status: 'failed', error: 'the training worker stopped: killed (exit code 9)' });
    expectRecordKeepsReceivedPoints(record, runId);
    if (end.type === 'failed') expect(end.record).toEqual(record);
    expect(lab.events).toContainEqual(expect.objectContaining({ kind: 'utility-exit', pid: pids[0], code: 9 }));
  });

  it('saves a run that trains when the app quits as cancelled with its points, and ends its worker', async () => {
    const { runId } = await call('startRun', [LONG_RUN]);
    await lab.waitFor(() => progressCount(runId) >= 2, 'two progress batches');
    const workers = (await lab.state()).utilityProcesses.flatMap((p) => p.pid ?? []);
    expect(workers).toHaveLength(1);

    const closed = lab;
    await expect(closed.command('quit', {})).resolves.toEqual({ prevented: false });
    await expect(closed.exited).resolves.toEqual({ code: 0, signal: null });
    const deadline = Date.now() + 5_000;
    while (processExists(workers[0]!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(processExists(workers[0]!), 'the worker outlived the app').toBe(false);

    // The next start of the lab reads it back as it was saved: every point the window got, no more.
    lab = await startedLab();
    const record = await call('getRun', [runId]);
    expect(record).toMatchObject({ status: 'cancelled', error: 'interrupted: the lab was closed during the run' });
    expectRecordKeepsReceivedPoints(record, runId, closed);
    const listed = await call('listRuns', []);
    expect(listed.map((r) => [r.id, r.status])).toContainEqual([runId, 'cancelled']);
  });
});
