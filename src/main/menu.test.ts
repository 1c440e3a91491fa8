import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuAction } from '../shared/api';
import { EXPERIMENTS, EXPERIMENT_IDS } from '../shared/experiments';
import { EXPERIMENT_KEY_COUNT } from '../shared/shortcut-keys';
import { LOCALES } from '../shared/slots/slot';
import { type MenuCommands, aboutText, menuTemplate } from './menu';
import { MENU_LABELS } from './menu-labels';

/** The menu as data: its items' labels, roles and keys, and what clicking them does. */
function setUp(isMac = false, isDevelopment = false, locale: (typeof LOCALES)[number] = 'en') {
  const done: string[] = [];
  const sent: MenuAction[] = [];
  const commands: MenuCommands = {
    send: (action) => sent.push(action),
    openChapterNotes: () => done.push('notes'),
    openHistoryFolder: () => done.push('history'),
    openLogFolder: () => done.push('logs'),
    showAbout: () => done.push('about'),
  };
  const titles = EXPERIMENT_IDS.map((id) => EXPERIMENTS[id].text[locale].title);
  const template = menuTemplate(commands, {
    labels: MENU_LABELS[locale],
    experimentTitles: titles,
    isMac,
    isDevelopment,
  });
  const items = (menu: MenuItemConstructorOptions) => menu.submenu as MenuItemConstructorOptions[];
  const find = (label: string) => {
    for (const top of template) for (const item of items(top) ?? []) if (item.label === label) return item;
    throw new Error(`no item ${label}`);
  };
  const click = (label: string) => (find(label).click as () => void)();
  return { template, items, find, click, done, sent, titles };
}

describe('application menu', () => {
  it('has File, Experiment, View, Window and Help, in both languages', () => {
    for (const locale of LOCALES) {
      const { template } = setUp(false, false, locale);
      const labels = MENU_LABELS[locale];
      expect(template.map((m) => m.label)).toEqual([
        labels.file,
        labels.experiment,
        labels.view,
        labels.window,
        labels.help,
      ]);
    }
    expect(setUp(true).template[0]).toEqual({ role: 'appMenu' });
  });

  it('runs, cancels and opens the n-th experiment with the shortcut keys shown but left to the window', () => {
    const { click, find, sent, titles } = setUp();
    click('Run');
    click('Cancel Run');
    click(titles[2]!);
    expect(sent).toEqual([{ kind: 'run' }, { kind: 'cancel' }, { kind: 'experiment', index: 2 }]);
    expect(find('Run')).toMatchObject({ accelerator: 'CmdOrCtrl+Enter', registerAccelerator: false });
    expect(find('Cancel Run')).toMatchObject({ accelerator: 'Escape', registerAccelerator: false });
    // Every experiment is in the menu; the first nine show their key.
    expect(titles.map((title) => find(title).accelerator)).toEqual(
      titles.map((_, i) => (i < EXPERIMENT_KEY_COUNT ? `CmdOrCtrl+${i + 1}` : undefined)),
    );
  });

  it('File and Help do what they say', () => {
    const { click, sent, done, find } = setUp();
    click('Choose Dataset Folder…');
    click('Export Chart as PNG…');
    click('Chapter 6 Notes');
    click('Open History Folder');
    click('Open Log Folder');
    click('About DLFS Lab');
    expect(sent).toEqual([{ kind: 'choose-dataset' }, { kind: 'export-chart' }]);
    expect(done).toEqual(['notes', 'history', 'logs', 'about']);
    expect(find('Quit').role).toBe('quit');
  });

  it('offers developer tools only while developing', () => {
    const roles = (isDevelopment: boolean) => {
      const { template, items } = setUp(false, isDevelopment);
      return items(template[2]!).map((item) => item.role);
    };
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toContain('toggleDevTools');
    expect(roles(false)).toEqual(
      expect.arrayContaining(['reload', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']),
    );
  });

  it('About names every version, and says so when no backend has loaded', () => {
    const versions = { app: '0.1.0', electron: '45.5.0', chromium: '146.0', node: '22.20.0', tfjs: '4.22.0' };
    const text = aboutText({ ...versions, backend: 'wasm' }, MENU_LABELS.en);
    expect(text.split('\n')).toEqual([
      'DLFS Lab 0.1.0',
      'Electron 45.5.0',
      'Chromium 146.0',
      'Node.js 22.20.0',
      'TensorFlow.js 4.22.0',
      'Backend: wasm',
    ]);
    expect(aboutText({ ...versions, backend: null }, MENU_LABELS['zh-CN'])).toContain('尚未报告');
  });
});
