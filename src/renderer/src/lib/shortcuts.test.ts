import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EXPERIMENT_IDS } from '../../../shared/experiments';
import { EXPERIMENT_KEY_COUNT } from '../../../shared/shortcut-keys';

// The router reads the window's address when loaded: the actions only need its navigate.
const navigate = vi.fn<(href: string) => void>();
vi.mock('./route', () => ({
  navigate: (href: string) => navigate(href),
  routeHref: { experiment: (id: string) => `#/experiment/${id}` },
}));
// The lab store reaches the host: the dataset action only needs its chooseDatasetDir.
const chooseDatasetDir = vi.fn(() => Promise.resolve(true));
vi.mock('../stores/lab', () => ({ useLabStore: () => ({ chooseDatasetDir }) }));
const { perform, providePageActions, shortcutFor } = await import('./shortcuts');

const key = (init: Partial<Parameters<typeof shortcutFor>[0]>) => ({
  key: '',
  code: '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  target: null,
  ...init,
});

describe('shortcutFor', () => {
  it('maps Ctrl/Cmd+Enter to run, Esc to cancel, Ctrl/Cmd+1..9 to the experiments in list order', () => {
    expect(shortcutFor(key({ key: 'Enter', ctrlKey: true }))).toEqual({ kind: 'run' });
    expect(shortcutFor(key({ key: 'Enter', metaKey: true }))).toEqual({ kind: 'run' });
    expect(shortcutFor(key({ key: 'Escape' }))).toEqual({ kind: 'cancel' });
    EXPERIMENT_IDS.slice(0, EXPERIMENT_KEY_COUNT).forEach((_, i) => {
      expect(shortcutFor(key({ key: String(i + 1), code: `Digit${i + 1}`, ctrlKey: true }))).toEqual({
        kind: 'experiment',
        index: i,
      });
    });
    // A layout whose digit row types other characters (AZERTY: "&" on Digit1) still works by its code.
    expect(shortcutFor(key({ key: '&', code: 'Digit1', metaKey: true }))).toEqual({ kind: 'experiment', index: 0 });
  });

  it('maps Ctrl/Cmd+Shift+E to exporting the chart in view', () => {
    expect(shortcutFor(key({ key: 'E', code: 'KeyE', ctrlKey: true, shiftKey: true }))).toEqual({
      kind: 'export-chart',
    });
    expect(shortcutFor(key({ key: 'e', code: 'KeyE', metaKey: true, shiftKey: true }))).toEqual({
      kind: 'export-chart',
    });
    expect(shortcutFor(key({ key: 'e', code: 'KeyE', ctrlKey: true }))).toBeNull();
  });

  it('ignores plain Enter and digits, other modifiers, and digits past the list', () => {
    expect(shortcutFor(key({ key: 'Enter' }))).toBeNull();
    expect(shortcutFor(key({ key: '1', code: 'Digit1' }))).toBeNull();
    expect(shortcutFor(key({ key: 'Enter', ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(shortcutFor(key({ key: '1', code: 'Digit1', ctrlKey: true, altKey: true }))).toBeNull();
    // Every digit past the list (none when it has nine experiments or more).
    for (let digit = EXPERIMENT_IDS.length + 1; digit <= EXPERIMENT_KEY_COUNT; digit++)
      expect(shortcutFor(key({ key: String(digit), code: `Digit${digit}`, ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key({ key: '0', code: 'Digit0', ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key({ key: 'Escape', ctrlKey: true }))).toBeNull();
  });
});

describe('perform', () => {
  beforeEach(() => navigate.mockClear());

  it('runs and cancels through the page that registered, and only while it is registered', () => {
    const page = { run: vi.fn(() => true), cancel: vi.fn(() => false) };
    expect(perform({ kind: 'run' })).toBe(false);
    const release = providePageActions(page);
    expect(perform({ kind: 'run' })).toBe(true);
    expect(perform({ kind: 'cancel' })).toBe(false);
    expect(page.run).toHaveBeenCalledTimes(1);
    expect(page.cancel).toHaveBeenCalledTimes(1);
    release();
    expect(perform({ kind: 'run' })).toBe(false);
    expect(page.run).toHaveBeenCalledTimes(1);
  });

  it('opens the n-th experiment; one past the list does nothing', () => {
    expect(perform({ kind: 'experiment', index: 1 })).toBe(true);
    expect(navigate).toHaveBeenCalledWith(`#/experiment/${EXPERIMENT_IDS[1]}`);
    expect(perform({ kind: 'experiment', index: EXPERIMENT_IDS.length })).toBe(false);
    expect(navigate).toHaveBeenCalledTimes(1);
  });

  it('asks the lab for the dataset folder (the menu action), and finds no chart to export without one', () => {
    expect(perform({ kind: 'choose-dataset' })).toBe(true);
    expect(chooseDatasetDir).toHaveBeenCalledTimes(1);
    expect(perform({ kind: 'export-chart' })).toBe(false);
  });
});
