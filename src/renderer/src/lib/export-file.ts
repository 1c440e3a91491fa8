import {
  type LabInfo,
  NPZ_DATA_URL_PREFIX,
  PNG_DATA_URL_PREFIX,
  type SaveFileType,
  saveFileTypeOf,
} from '../../../shared/api';
import { base64ToBytes, bytesToBase64 } from '../../../shared/trained-nets';
import { lab } from '../lab-api';

export type ExportResult =
  { kind: 'saved'; path: string } | { kind: 'downloaded'; name: string } | { kind: 'cancelled' };

type Translate = (key: string, named?: Record<string, unknown>) => string;

/** What the page says after an export: where it went, that it downloaded, or why it failed; null: cancelled. */
export async function exportNote(
  save: () => Promise<ExportResult | null>,
  t: Translate,
  errorText: (error: unknown) => string,
): Promise<{ text: string; error: boolean } | null> {
  try {
    const result = await save();
    if (result?.kind === 'saved') return { text: t('chart.savedTo', { path: result.path }), error: false };
    if (result?.kind === 'downloaded') return { text: t('chart.downloaded', { name: result.name }), error: false };
    return null;
  } catch (error) {
    return { text: t('chart.exportFailed', { message: errorText(error) }), error: true };
  }
}

const MIME: Record<SaveFileType, string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  csv: 'text/csv',
  json: 'application/json',
  npz: 'application/octet-stream',
};

/**
 * Saves a chart's export through the host (Electron: a save dialog): a PNG as a data: URL, SVG, CSV and
 * JSON as their text; the name's extension says which. The web host cannot write where the user wants,
 * so it answers saved: false and the browser downloads the file instead.
 */
export async function saveExport(
  suggestedName: string,
  content: string,
  host: LabInfo['host'] | null,
): Promise<ExportResult> {
  const result = await lab.saveFile({ suggestedName, content });
  if (result.saved) return { kind: 'saved', path: result.path ?? suggestedName };
  if (host === 'web') {
    download(suggestedName, blobOf(suggestedName, content));
    return { kind: 'downloaded', name: suggestedName };
  }
  return { kind: 'cancelled' };
}

/**
 * Saves a file of bytes (a net's .npz): Electron's save dialog, or in a browser a download straight away
 * (the web host would only answer saved: false, after the bytes crossed its socket for nothing).
 */
export async function saveBytes(
  suggestedName: string,
  bytes: Uint8Array,
  host: LabInfo['host'] | null,
): Promise<ExportResult> {
  if (host === 'web') {
    download(suggestedName, new Blob([new Uint8Array(bytes)], { type: MIME[saveFileTypeOf(suggestedName)] }));
    return { kind: 'downloaded', name: suggestedName };
  }
  return saveExport(suggestedName, NPZ_DATA_URL_PREFIX + bytesToBase64(bytes), host);
}

/** The file name of another export of the same chart: `<name>.png` -> `<name>.csv`. */
export function exportNameAs(name: string, type: SaveFileType): string {
  return `${name.replace(/\.(png|svg|csv|json)$/i, '')}.${type}`;
}

function blobOf(name: string, content: string): Blob {
  const type = saveFileTypeOf(name);
  if (type === 'png')
    return new Blob([new Uint8Array(base64ToBytes(content.slice(PNG_DATA_URL_PREFIX.length)))], { type: MIME.png });
  return new Blob([content], { type: `${MIME[type]};charset=utf-8` });
}

/** A download by a click on a temporary <a download> with a blob: URL (the CSP allows no fetch of data:). */
function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
