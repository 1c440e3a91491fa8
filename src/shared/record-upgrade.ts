import { isExperimentId, slotOf, typedParams } from './experiments';
import {
  RUN_RECORD_VERSION,
  type RunRecord,
  type StoredRunRecord,
  runRecordSchema,
  storedRunRecordSchema,
} from './runs';

/**
 * The one way a stored run record is read: a record of any format (validated as such) becomes
 * today's. Format 1 identified series by name only; its slot says what each name was
 * (`legacySeriesKey`), so old runs open, draw and compare like new ones. Throws (a zod error) on a
 * document that is no run record.
 */
export function upgradeRunRecord(value: unknown): RunRecord {
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
