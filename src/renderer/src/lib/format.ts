/** Dates, durations and numbers as the UI shows them. */

export function formatDateTime(iso: string | null | undefined, locale: string): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** A place in line: 2 -> "2nd" in English; other languages get the number (their message words it). */
export function formatPlace(place: number, locale: string): string {
  if (!locale.startsWith('en')) return String(place);
  const suffix = { one: 'st', two: 'nd', few: 'rd', other: 'th' } as Record<string, string>;
  return `${place}${suffix[new Intl.PluralRules('en', { type: 'ordinal' }).select(place)] ?? 'th'}`;
}

/** 75 s -> "1:15", 3725 s -> "1:02:05". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function durationBetween(start: string | null | undefined, end: string | null | undefined): string {
  if (!start || !end) return '–';
  const ms = new Date(end).getTime() - new Date(start).getTime();
  return Number.isFinite(ms) ? formatSeconds(ms / 1000) : '–';
}

export function formatNumber(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'string') return value;
  // Summaries and params are JSON data: a boolean shows as true/false, a list or an object as JSON.
  if (typeof value !== 'number') return typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e-3 ? String(Number(value.toPrecision(4))) : value.toExponential(2);
}

export function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(1);
}
