import { type LabInfo, PNG_DATA_URL_PREFIX, type SaveFileType, saveFileTypeOf } from '../../../shared/api';
import { lab } from '../lab-api';

export type ExportResult =
  { kind: 'saved'; path: string } | { kind: 'downloaded'; name: string } | { kind: 'cancelled' };

const MIME: Record<SaveFileType, string> = {
  png: 'image/png',
  svg: 'image/svg+xml',
  csv: 'text/csv',
  json: 'application/json',
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
    download(suggestedName, content);
    return { kind: 'downloaded', name: suggestedName };
  }
  return { kind: 'cancelled' };
}

/** The file name of another export of the same chart: `<name>.png` -> `<name>.csv`. */
export function exportNameAs(name: string, type: SaveFileType): string {
  return `${name.replace(/\.(png|svg|csv|json)$/i, '')}.${type}`;
}

/** A download by a click on a temporary <a download> with a blob: URL (the CSP allows no fetch of data:). */
function download(name: string, content: string): void {
  const type = saveFileTypeOf(name);
  let blob: Blob;
  if (type === 'png') {
    const binary = atob(content.slice(PNG_DATA_URL_PREFIX.length));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    blob = new Blob([bytes], { type: MIME.png });
  } else blob = new Blob([content], { type: `${MIME[type]};charset=utf-8` });
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
