import type { BrowserWindow } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { LabService } from '../services/lab-service';
import { RUN_EVENT_CHANNEL, labCallChannel } from '../shared/ipc-channels';
import { LAB_CALL_NAMES } from '../shared/lab-calls';

/** Electron's binary cannot run here: ipcMain is a stand-in that keeps the handlers registered. */
type Handler = (event: unknown, ...args: unknown[]) => unknown;
const handlers = vi.hoisted(() => new Map<string, Handler>());
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: Handler) => handlers.set(channel, handler) },
  BrowserWindow: class {},
}));

const { registerLabIpc } = await import('./ipc');

describe('registerLabIpc', () => {
  const webContents = { send: vi.fn() };
  const window = { webContents, isDestroyed: () => false } as unknown as BrowserWindow;
  let runEvents: ((event: unknown) => void) | undefined;
  const service = {
    info: () => ({ host: 'electron' }),
    getRun: vi.fn(),
    onRunEvent: (listener: (event: unknown) => void) => {
      runEvents = listener;
      return () => {};
    },
  } as unknown as LabService;
  const dialogs = { chooseDatasetDir: async () => undefined, saveFile: async () => ({ saved: false }) };
  registerLabIpc(service, window, dialogs);
  const fromPage = { sender: webContents, senderFrame: { url: 'file:///app/out/renderer/index.html' } };

  it('registers one handler per call of the shared table, on its shared channel', () => {
    expect([...handlers.keys()].sort()).toEqual(LAB_CALL_NAMES.map(labCallChannel).sort());
  });

  it('answers the lab page and validates the payload', async () => {
    await expect(handlers.get('lab:info')!(fromPage)).resolves.toEqual({ host: 'electron' });
    await expect(handlers.get('lab:getRun')!(fromPage, '../../etc')).rejects.toThrow(/bad arguments for getRun/);
    await expect(handlers.get('lab:info')!(fromPage, 'extra')).rejects.toThrow(/bad arguments for info/);
    expect(service.getRun).not.toHaveBeenCalled();
  });

  it('refuses calls from another window or page', () => {
    const otherWindow = { ...fromPage, sender: {} };
    const otherPage = { ...fromPage, senderFrame: { url: 'https://example.com/' } };
    expect(() => handlers.get('lab:info')!(otherWindow)).toThrow(/refused/);
    expect(() => handlers.get('lab:info')!(otherPage)).toThrow(/refused/);
  });

  it('forwards run events to the window on the shared channel', () => {
    runEvents!({ runId: 'r' });
    expect(webContents.send).toHaveBeenCalledWith(RUN_EVENT_CHANNEL, { runId: 'r' });
  });
});
