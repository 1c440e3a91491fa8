import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPERIMENTS, EXPERIMENT_IDS } from '../shared/experiments';
import { MENU_ACTION_CHANNEL } from '../shared/ipc-channels';
import { MainProcess } from './electron-double/main-process.test-helpers';
import type { MenuItemState } from './electron-double/protocol.test-helpers';
import { MENU_LABELS } from './menu-labels';

/**
 * The desktop parts of the built main process (out/main/index.js) under the Electron double: the
 * application menu in both languages, the rotating log, local crash dumps, the window remembered across
 * launches, and a second launch focusing the first. Runs after `npm run build` (`npm run test:shell`).
 */

const userData = mkdtempSync(path.join(os.tmpdir(), 'dlfs-desktop-'));
const running: MainProcess[] = [];

async function launch(): Promise<MainProcess> {
  const lab = MainProcess.start(userData);
  running.push(lab);
  await lab.waitFor(() => lab.events.some((e) => e.kind === 'window-shown'), 'the window to show');
  return lab;
}

async function quit(lab: MainProcess): Promise<void> {
  await lab.command('quit', {});
  await expect(lab.exited).resolves.toEqual({ code: 0, signal: null });
}

const labelsOf = (menu: MenuItemState[] | null) => (menu ?? []).map((item) => item.label);
const submenu = (menu: MenuItemState[] | null, label: string) =>
  (menu ?? []).find((item) => item.label === label)?.submenu ?? [];
const menuActions = (lab: MainProcess) =>
  lab.events.flatMap((e) => (e.kind === 'send' && e.channel === MENU_ACTION_CHANNEL ? [e.args[0]] : []));

afterAll(async () => {
  for (const lab of running) await lab.stop();
  rmSync(userData, { recursive: true, force: true });
});

describe('the desktop app under an Electron double', () => {
  it('has its menu in the chosen language, and its items do what they say', async () => {
    const lab = await launch();
    const en = MENU_LABELS.en;
    let menu = await lab.command('applicationMenu', {});
    expect(labelsOf(menu)).toEqual([en.file, en.experiment, en.view, en.window, en.help]);
    const experiments = submenu(menu, en.experiment);
    const titles = EXPERIMENT_IDS.map((id) => EXPERIMENTS[id].text.en.title);
    expect(experiments.filter((item) => titles.includes(item.label)).map((item) => item.accelerator)).toEqual(
      titles.map((_, i) => `CmdOrCtrl+${i + 1}`),
    );
    // Not developing: no developer tools in View.
    expect(submenu(menu, en.view).map((item) => item.role)).not.toContain('toggleDevTools');

    await lab.command('clickMenuItem', { labels: [en.experiment, en.run] });
    await lab.command('clickMenuItem', { labels: [en.experiment, titles[3]!] });
    await lab.command('clickMenuItem', { labels: [en.file, en.exportChart] });
    await lab.command('clickMenuItem', { labels: [en.file, en.chooseDataset] });
    expect(menuActions(lab)).toEqual([
      { kind: 'run' },
      { kind: 'experiment', index: 3 },
      { kind: 'export-chart' },
      { kind: 'choose-dataset' },
    ]);

    await lab.command('clickMenuItem', { labels: [en.help, en.logFolder] });
    await lab.command('clickMenuItem', { labels: [en.help, en.historyFolder] });
    await lab.command('clickMenuItem', { labels: [en.help, en.chapterNotes] });
    const opened = lab.events.flatMap((e) => (e.kind === 'shell' && e.method === 'openPath' ? [e.target] : []));
    expect(opened).toEqual([
      path.join(userData, 'logs'),
      path.join(userData, 'runs'),
      path.join(userData, 'chapter-6-notes.en.html'),
    ]);
    expect(readFileSync(opened[2]!, 'utf8')).toContain(EXPERIMENTS['batch-norm'].book.script);

    await lab.command('clickMenuItem', { labels: [en.help, en.about] });
    const about = lab.events.findLast((e) => e.kind === 'dialog' && e.method === 'showMessageBox');
    const detail = (about?.kind === 'dialog' ? (about.options as { detail: string }).detail : '').split('\n');
    expect(detail[0]).toMatch(/^DLFS Lab \d+\.\d+\.\d+/);
    expect(detail.slice(1, 5).map((line) => line.split(' ')[0])).toEqual([
      'Electron',
      'Chromium',
      'Node.js',
      'TensorFlow.js',
    ]);
    expect(detail[4]).toMatch(/^TensorFlow\.js 4\.\d+\.\d+$/);
    expect(detail[5]).toMatch(/^Backend: /);

    // The renderer picks Chinese: the menu follows, and keeps it at the next launch.
    await lab.call('setLocale', ['zh-CN']);
    menu = await lab.command('applicationMenu', {});
    const zh = MENU_LABELS['zh-CN'];
    expect(labelsOf(menu)).toEqual([zh.file, zh.experiment, zh.view, zh.window, zh.help]);
    await quit(lab);
    const again = await launch();
    expect(labelsOf(await again.command('applicationMenu', {}))).toEqual([
      zh.file,
      zh.experiment,
      zh.view,
      zh.window,
      zh.help,
    ]);
    await again.call('setLocale', ['en']);
    await quit(again);
  });

  it('keeps crash dumps local and writes starts, runs and worker exits to its log', async () => {
    const lab = await launch();
    expect((await lab.state()).crashReporter).toMatchObject({ uploadToServer: false });
    const { runId } = await lab.call('startRun', [
      { experiment: 'optimizers-mnist', params: { iterations: 5, optimizers: ['SGD'] } },
    ]);
    const logFile = path.join(userData, 'logs', 'main.log');
    const logText = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
    const waitForLog = (pattern: RegExp, what: string) =>
      lab
        .waitFor(() => pattern.test(logText()), what, 20_000)
        .catch((error: unknown) => {
          throw new Error(`${String(error).split('\n')[0]}\nthe log:\n${logText()}`);
        });
    await waitForLog(new RegExp(`run ${runId} ended completed`), 'the run to end in the log');
    await lab.command('killUtilityProcesses', { signal: 'SIGKILL' });
    await waitForLog(/training worker \d+ exited: killed/, 'the exit in the log');
    await quit(lab);
    const text = readFileSync(logFile, 'utf8');
    expect(text).toMatch(/\[info\] DLFS Lab \S+ starting \(Electron/);
    expect(text).toMatch(new RegExp(`\\[info\\] run ${runId} started: optimizers-mnist on \\w+`));
    expect(text).toMatch(/\[warn\] training worker \d+ exited: killed/);
    expect(text).toMatch(/\[info\] DLFS Lab closed/);
  });

  it('opens where it was closed, maximized as it was, on the last experiment', async () => {
    const lab = await launch();
    const bounds = { x: 140, y: 90, width: 1100, height: 760 };
    await lab.command('setWindow', { bounds });
    await lab.command('navigate', {
      url: 'file:///app/out/renderer/index.html#/experiment/dropout',
      kind: 'in-page',
      webContents: 'main',
    });
    await quit(lab);

    let again = await launch();
    let window = (await again.state()).windows[0]!;
    expect(window.bounds).toEqual(bounds);
    expect(window.maximized).toBe(false);
    const load = again.events.find((e) => e.kind === 'load');
    expect(load?.kind === 'load' ? load.url : '').toMatch(/renderer\/index\.html#\/experiment\/dropout$/);
    await again.command('setWindow', { maximized: true });
    await quit(again);

    again = await launch();
    window = (await again.state()).windows[0]!;
    expect(window.maximized).toBe(true);
    expect(window.bounds).toEqual(bounds);
    await quit(again);
  });

  it('a second launch shows and restores the first window instead of opening another', async () => {
    const lab = await launch();
    expect(await lab.command('setWindow', { minimized: true })).toMatchObject({ minimized: true });
    await lab.command('secondInstance', {});
    const state = await lab.state();
    expect(state.windows).toHaveLength(1);
    expect(state.windows[0]).toMatchObject({ shown: true, minimized: false });
    await quit(lab);
  });
});
