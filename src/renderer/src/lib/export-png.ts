import type { LabInfo } from '../../../shared/api';
import { lab } from '../lab-api';

export type ExportResult =
  { kind: 'saved'; path: string } | { kind: 'downloaded'; name: string } | { kind: 'cancelled' };

/**
 * Saves a chart's PNG through the host (Electron: a save dialog). The web host cannot write where the
 * user wants, so it answers saved: false and the browser downloads the file instead.
 */
export async function savePng(
  dataUrl: string,
  suggestedName: string,
  host: LabInfo['host'] | null,
): Promise<ExportResult> {
  const result = await lab.savePng({ suggestedName, dataUrl });
  if (result.saved) return { kind: 'saved', path: result.path ?? suggestedName };
  if (host === 'web') {
    download(dataUrl, suggestedName);
    return { kind: 'downloaded', name: suggestedName };
  }
  return { kind: 'cancelled' };
}

/** A download by a click on a temporary <a download> with a blob: URL (the CSP allows no fetch of data:). */
function download(dataUrl: string, name: string): void {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
