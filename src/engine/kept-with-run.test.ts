import { beforeAll, describe, expect, it } from 'vitest';
import { EXPERIMENT_IDS, parseParams, slotOf } from '../shared/experiments';
import { keptWithRun } from '../shared/kept-with-run';
import { memoryWorkload } from '../shared/memory-budget';
import { initBackend } from './backend';
import { recordRun } from './runs.test-helpers';

/**
 * What the form says a run will keep (shared/kept-with-run.ts) is what the run keeps: every experiment
 * that trains nets, at its golden sizes, recording inside them every 2 updates.
 */
beforeAll(async () => {
  await initBackend();
});

const trainingIds = EXPERIMENT_IDS.filter(
  (id) => memoryWorkload(id, parseParams(id, slotOf(id).goldenParams) as never).kind === 'training',
);

describe.each(trainingIds)('%s keeps what the form says', (id) => {
  it('the same nets, interval and moments', async () => {
    const params = parseParams(id, { ...slotOf(id).goldenParams, insideEvery: 2 });
    const expected = keptWithRun(memoryWorkload(id, params as never), 2)!;
    const { events } = await recordRun(id, params);
    const nets = events.flatMap((e) => (e.type === 'nets' ? [e.nets] : []))[0];
    const inside = events.flatMap((e) => (e.type === 'inside' ? [e.inside] : []))[0]!;
    expect(nets?.nets.length ?? 0).toBe(expected.nets.refusal ? 0 : expected.nets.count);
    expect(inside.every).toBe(expected.inside!.every);
    expect(inside.nets).toHaveLength(expected.nets.count);
    for (const net of inside.nets) expect(net.moments).toHaveLength(expected.inside!.moments);
    expect(JSON.stringify(inside).length).toBeLessThanOrEqual(expected.inside!.bytes);
  }, 120_000);
});

it('the book-size search keeps no nets and says why before it runs', () => {
  const kept = keptWithRun(memoryWorkload('hyperparameter-search', parseParams('hyperparameter-search', {})), 0)!;
  expect(kept.nets.refusal).toMatch(/not kept/);
  expect(kept.inside).toBeNull();
});
