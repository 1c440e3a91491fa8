import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../shared/events';
import { PROGRESS_INTERVAL_MS, ProgressReporter } from './progress';

describe('ProgressReporter', () => {
  it('sends progress without new points (mini-batches of a long epoch), but nothing when nothing moved', () => {
    let now = 0;
    const events: ProgressEvent[] = [];
    const reporter = new ProgressReporter(
      100,
      (e) => events.push(e),
      () => now,
    );
    now += PROGRESS_INTERVAL_MS;
    reporter.advance(7);
    expect(events).toEqual([{ type: 'progress', step: 7, totalSteps: 100, points: [], log: [] }]);
    now += PROGRESS_INTERVAL_MS;
    reporter.advance(7);
    reporter.flush();
    expect(events).toHaveLength(1);
  });

  it('batches points and sends them at most every interval', () => {
    let now = 0;
    const events: ProgressEvent[] = [];
    const reporter = new ProgressReporter(
      10,
      (e) => events.push(e),
      () => now,
    );
    const id = { name: 'SGD', metric: 'loss' as const, key: { optimizer: 'SGD' as const } };
    reporter.point(id, 0, 2.3);
    reporter.advance(1);
    now += 10;
    reporter.point(id, 1, 2.2);
    reporter.advance(2);
    expect(events).toHaveLength(0);
    now += PROGRESS_INTERVAL_MS;
    reporter.advance(3);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ step: 3, points: [{ series: 'SGD', x: [0, 1], y: [2.3, 2.2] }] });
  });
});
