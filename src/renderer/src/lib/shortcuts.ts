import type { MenuAction } from '../../../shared/api';
import { EXPERIMENT_IDS } from '../../../shared/experiments';
export { SHORTCUT_KEYS } from '../../../shared/shortcut-keys';
import { useLabStore } from '../stores/lab';
import { exportChartInView } from './charts-on-screen';
import { navigate, routeHref } from './route';

/**
 * The lab's keyboard shortcuts, as actions any path can trigger: a key pressed in the window
 * (`installShortcuts`) or, in Electron, the application menu, whose items show the same keys and send
 * the action over ipc (`installMenuActions`). The menu does not register the keys itself
 * (`registerAccelerator: false` in src/main/menu.ts), so a key press is handled here only, once.
 *
 * - run the current experiment: Ctrl+Enter (Cmd+Enter on macOS);
 * - cancel the run the current experiment shows (running or queued): Esc;
 * - open the n-th experiment of the list (the first nine: 1..9): Ctrl+n (Cmd+n);
 * - export the chart in view as PNG: Ctrl+Shift+E (Cmd+Shift+E).
 * The menu also asks for the dataset folder (`choose-dataset`), which has no key.
 */
export type LabAction = MenuAction;

/** What the page on screen does for run and cancel (the experiment page registers them): false when it cannot now. */
export interface PageActions {
  run(): boolean;
  cancel(): boolean;
}

let page: PageActions | null = null;

/** The page that handles run / cancel from now on; the returned function unregisters it. */
export function providePageActions(actions: PageActions): () => void {
  page = actions;
  return () => {
    if (page === actions) page = null;
  };
}

/** Does the action; false when it does not apply (no experiment page, no such experiment, no chart). */
export function perform(action: LabAction): boolean {
  switch (action.kind) {
    case 'run':
      return page?.run() ?? false;
    case 'cancel':
      return page?.cancel() ?? false;
    case 'experiment': {
      const id = EXPERIMENT_IDS[action.index];
      if (id === undefined) return false;
      navigate(routeHref.experiment(id));
      return true;
    }
    case 'export-chart':
      return exportChartInView();
    case 'choose-dataset':
      void useLabStore()
        .chooseDatasetDir()
        .catch(() => undefined);
      return true;
  }
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'> & {
  target: EventTarget | null;
};

/** A text field, a list or an editable element: where Esc means something to the control itself. */
function isEditing(target: EventTarget | null): boolean {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
  return target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}

/** The action a key press stands for, or null. */
export function shortcutFor(event: KeyLike): LabAction | null {
  const commandKey = (event.ctrlKey || event.metaKey) && !event.altKey;
  if (commandKey && event.shiftKey && (event.code === 'KeyE' || event.key.toLowerCase() === 'e')) {
    return { kind: 'export-chart' };
  }
  const command = commandKey && !event.shiftKey;
  if (command && event.key === 'Enter') return { kind: 'run' };
  if (command) {
    const digit = /^(?:Digit|Numpad)([1-9])$/.exec(event.code)?.[1] ?? /^[1-9]$/.exec(event.key)?.[0];
    const index = Number(digit) - 1;
    if (digit !== undefined && index < EXPERIMENT_IDS.length) return { kind: 'experiment', index };
    return null;
  }
  const plain = !event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey;
  if (plain && event.key === 'Escape' && !isEditing(event.target)) return { kind: 'cancel' };
  return null;
}

/** Listens for the shortcuts in the window until the returned function is called. */
export function installShortcuts(): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.repeat) return;
    const action = shortcutFor(event);
    if (action && perform(action)) event.preventDefault();
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}

/**
 * Electron: performs the application menu's actions (window.labShell, from the preload) until the
 * returned function is called.
 */
export function installMenuActions(): () => void {
  return window.labShell?.onMenuAction((action) => perform(action)) ?? (() => undefined);
}
