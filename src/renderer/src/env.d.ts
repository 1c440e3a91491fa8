/// <reference types="vite/client" />
import type { LabApi, MenuAction } from '../../shared/api';

declare global {
  interface Window {
    /** The LabApi bridged by Electron's preload; absent under the web host. */
    lab?: LabApi;
    /** Electron's application menu, bridged by the preload; absent under the web host. */
    labShell?: { onMenuAction(listener: (action: MenuAction) => void): () => void };
  }
}

export {};
