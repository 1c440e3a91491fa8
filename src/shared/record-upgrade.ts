import { isExperimentId, slotOf, typedParams } from './experiments';
import {
  RUN_RECORD_VERSION,
  type RunRecord,
  type StoredRunRecord,
  runRecordSchema,
  storedRunRecordSchema,
} from './runs';

/** A record written by a later version of the lab, in a format this one does not know. */
export class NewerRecordFormatError extends Error {
  constructor(readonly formatVersion: number) {
    super(
      `written by a newer DLFS Lab (run record format ${formatVersion}; this version reads formats 1 to ` +
        `${RUN_RECORD_VERSION}): open it with that version or a later one`,
    );
  }
}

/**
 * The one way a stored run record is read: a record of any format (validated as such) becomes
 * today's. Format 1 identified series by name only; its slot says what each name was
 * (`legacySeriesKey`), so old runs open, draw and compare like new ones. Throws (a zod error) on a
 * document that is no run record, and a NewerRecordFormatError on one from a later format.
 */
export function upgradeRunRecord(value: unknown): RunRecord {
  const version = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > RUN_RECORD_VERSION) {
    throw new NewerRecordFormatError(version);
  }
  const stored: StoredRunRecord = storedRunRecordSchema.parse(value);
  if (stored.formatVersion === RUN_RECORD_VERSION && stored.series.every((s) => s.key !== undefined))
    return runRecordSchema.parse(stored);
  const slot = isExperimentId(stored.experiment) ? slotOf(stored.experiment) : undefined;
  const params = slot && isExperimentId(stored.experiment) ? typedParams(stored.experiment, stored.params) : null;
  return runRecordSchema.parse({
    ...stored,
    formatVersion: RUN_RECORD_VERSION,
    series: stored.series.map((s) => ({
      ...s,
      key: s.key ?? slot?.legacySeriesKey(s.name, params, stored.summary) ?? {},
    })),
  });
}
