import { expect } from 'vitest';
import { type ProgressEvent, progressEventSchema } from '../shared/events';
import type { ExperimentId } from '../shared/experiments';
import { checkClaims, claimOutcomes } from '../shared/run-claims';
import type { RunRecord, Series } from '../shared/runs';
import { tf } from './backend';
import { type RunOptions, runExperiment } from './runner';

/** Test helpers: one run of an experiment with every event it emitted and the tfjs tensor count around it. */
export interface RecordedRun {
  record: RunRecord;
  events: ProgressEvent[];
  tensorsBefore: number;
  tensorsAfter: number;
}

/** Runs `id` (on one thread unless options say otherwise), keeping every event. */
export async function recordRun(
  id: ExperimentId,
  params: Record<string, unknown>,
  options: RunOptions = {},
): Promise<RecordedRun> {
  const events: ProgressEvent[] = [];
  const tensorsBefore = tf.memory().numTensors;
  const record = await runExperiment(id, params, {
    threads: 1,
    ...options,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  return { record, events, tensorsBefore, tensorsAfter: tf.memory().numTensors };
}

export function seriesNamed(record: RunRecord, name: string): Series {
  const series = record.series.find((s) => s.name === name);
  if (!series) throw new Error(`no series ${name} in ${record.series.map((s) => s.name).join(', ')}`);
  return series;
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Every event has the documented shape; 'started' comes first and 'finished' (with the record) last. */
export function expectWellFormedEvents(events: ProgressEvent[], record: RunRecord): void {
  for (const event of events) progressEventSchema.parse(event);
  expect(events[0]?.type).toBe('started');
  const last = events.at(-1);
  expect(last?.type).toBe('finished');
  if (last?.type === 'finished') expect(last.record).toBe(record);
  expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
  expect(events.filter((e) => e.type === 'finished')).toHaveLength(1);
  // The streamed points, put together, are exactly the record's series.
  const streamed = new Map<string, { x: number[]; y: number[] }>();
  for (const event of events) {
    if (event.type !== 'progress') continue;
    for (const points of event.points) {
      const s = streamed.get(points.series) ?? { x: [], y: [] };
      s.x.push(...points.x);
      s.y.push(...points.y);
      streamed.set(points.series, s);
    }
  }
  for (const series of record.series) {
    expect(streamed.get(series.name)?.x ?? [], `${series.name} streamed x`).toEqual(series.x);
    expect(streamed.get(series.name)?.y ?? [], `${series.name} streamed y`).toEqual(series.y);
  }
}

/** The log lines of a run, in order. */
export function logLines(events: ProgressEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'progress' ? e.log : []));
}

/**
 * The book's claims `ids` (the slot's `claims`) hold on the run, as the runner recorded them (which
 * are the slot's verdicts on the record); a failure names the numbers behind the verdict.
 */
export function expectClaimsHold(record: RunRecord, ids: readonly string[]): void {
  expect(record.claims).toEqual(claimOutcomes(checkClaims(record)));
  for (const id of ids) {
    const claim = record.claims?.find((c) => c.id === id);
    expect(claim, `claim ${id} was checked`).toBeDefined();
    expect(claim!.holds, `${id}: ${claim!.detail}`).toBe(true);
  }
}
