/**
 * The file name a figure is saved under: `<experiment>[-<chart>]-YYYY-MM-DD-HHmm.<ext>`, from the run's
 * start in local time, e.g. `optimizers-mnist-2026-11-27-1304.png`. Always matches the LabApi's
 * saveFile rule /^[\w .,()+-]{1,120}\.(png|svg|csv|json)$/.
 */
export function figureFileName(
  experiment: string,
  startedAt: Date | string | undefined,
  chart?: string,
  ext: 'png' | 'svg' | 'csv' | 'json' = 'png',
): string {
  const date = startedAt === undefined ? new Date() : new Date(startedAt);
  const when = Number.isNaN(date.getTime()) ? new Date() : date;
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}-${pad(when.getHours())}${pad(when.getMinutes())}`;
  const safe = (text: string) => text.replace(/[^\w.,()+-]+/g, '-').replace(/^-+|-+$/g, '');
  const base = [safe(experiment) || 'figure', chart ? safe(chart) : '', stamp].filter(Boolean).join('-');
  return `${base.slice(0, 115)}.${ext}`;
}
