/// <reference types="vite/client" />
import type { LabApi } from '../../shared/api';

declare global {
  interface Window {
    /** The LabApi bridged by Electron's preload; absent under the web host. */
    lab?: LabApi;
  }
}

export {};
