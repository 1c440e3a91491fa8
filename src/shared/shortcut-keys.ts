/**
 * The keys of the lab's actions, as Electron's menu accelerators and the page's aria-keyshortcuts spell
 * them: the menu (src/main/menu.ts) shows them, the renderer (lib/shortcuts.ts) handles them.
 */
/** Ctrl/Cmd+1..9 open the experiments in the list's order: the first nine have a key, a later one none. */
export const EXPERIMENT_KEY_COUNT = 9;

export const SHORTCUT_KEYS = {
  run: { accelerator: 'CmdOrCtrl+Enter', aria: 'Control+Enter Meta+Enter' },
  cancel: { accelerator: 'Escape', aria: 'Escape' },
  /** The key of the experiment at `index` in the list (from 0), or null past the digits. */
  experiment: (index: number) =>
    index < EXPERIMENT_KEY_COUNT
      ? { accelerator: `CmdOrCtrl+${index + 1}`, aria: `Control+${index + 1} Meta+${index + 1}` }
      : null,
  exportChart: { accelerator: 'CmdOrCtrl+Shift+E', aria: 'Control+Shift+E Meta+Shift+E' },
} as const;
