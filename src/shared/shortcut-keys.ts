/**
 * The keys of the lab's actions, as Electron's menu accelerators and the page's aria-keyshortcuts spell
 * them: the menu (src/main/menu.ts) shows them, the renderer (lib/shortcuts.ts) handles them.
 */
export const SHORTCUT_KEYS = {
  run: { accelerator: 'CmdOrCtrl+Enter', aria: 'Control+Enter Meta+Enter' },
  cancel: { accelerator: 'Escape', aria: 'Escape' },
  experiment: (index: number) => ({
    accelerator: `CmdOrCtrl+${index + 1}`,
    aria: `Control+${index + 1} Meta+${index + 1}`,
  }),
  exportChart: { accelerator: 'CmdOrCtrl+Shift+E', aria: 'Control+Shift+E Meta+Shift+E' },
} as const;
