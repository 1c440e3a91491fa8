import type { LabCallName } from './lab-calls';

/**
 * The ipc channel names between Electron's preload and main, in one place: one channel per LabApi
 * call (the table in lab-calls.ts), one for the run events main pushes to the window, and one for the
 * application menu's actions (Electron only).
 */

export type LabCallChannel = `lab:${LabCallName}`;

export function labCallChannel(name: LabCallName): LabCallChannel {
  return `lab:${name}`;
}

export const RUN_EVENT_CHANNEL = 'lab:run-event';

export const MENU_ACTION_CHANNEL = 'lab:menu-action';
