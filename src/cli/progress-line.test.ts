import { describe, expect, it } from 'vitest';
import { ProgressLine, estimateRemaining, formatDuration, formatProgress } from './progress-line';

/** A stream that keeps what is written, and a clock the test moves. */
function fakes(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  const stream = { isTTY, columns, write: (chunk: string) => writes.push(chunk) };
  const clock = { t: 1_000_000 };
  return { writes, stream, clock, now: () => clock.t };
}

describe('formatDuration', () => {
  it('writes seconds, minutes, hours and days', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(7_400)).toBe('7s');
    expect(formatDuration(59_400)).toBe('59s');
    expect(formatDuration(245_000)).toBe('4m05s');
    expect(formatDuration((2 * 3600 + 3 * 60 + 9) * 1000)).toBe('2h03m');
    expect(formatDuration((3 * 86400 + 4 * 3600) * 1000)).toBe('3d04h');
    expect(formatDuration(-5)).toBe('0s');
  });
});

describe('estimateRemaining and formatProgress', () => {
  it('takes the ETA from the rate so far', () => {
    expect(estimateRemaining(25, 100, 10_000)).toBe(30_000);
    expect(formatProgress('run', 25, 100, 10_000)).toBe('run: 25% 25/100, 10s elapsed, ETA 30s');
  });

  it('has no ETA at 0% and ETA 0s at 100%', () => {
    expect(estimateRemaining(0, 100, 3_000)).toBeNull();
    expect(formatProgress(undefined, 0, 100, 0)).toBe('0% 0/100, 0s elapsed, ETA --');
    expect(formatProgress(undefined, 100, 100, 65_000)).toBe('100% 100/100, 1m05s elapsed, ETA 0s');
    expect(formatProgress(undefined, 0, 0, 0)).toBe('100% 0/0, 0s elapsed, ETA 0s');
  });

  it('rounds the percentage down and writes long times compactly', () => {
    expect(formatProgress('batch-norm 3/8', 1999, 2000, 3 * 3600_000)).toBe(
      'batch-norm 3/8: 99% 1999/2000, 3h00m elapsed, ETA 5s',
    );
  });
});

describe('ProgressLine', () => {
  it('on a terminal: one line redrawn in place, cleared at the end', () => {
    const { writes, stream, clock, now } = fakes(true);
    const line = new ProgressLine(stream, { label: 'x', now });
    line.start(10);
    clock.t += 1000;
    line.update(1);
    clock.t += 50; // within the redraw interval: not drawn
    line.update(2);
    clock.t += 1000;
    line.update(5);
    expect(writes).toEqual(['\rx: 10% 1/10, 1s elapsed, ETA 9s\x1b[K', '\rx: 50% 5/10, 2s elapsed, ETA 2s\x1b[K']);
    line.done();
    expect(writes.at(-1)).toBe('\r\x1b[K');
    expect(writes.join('')).not.toContain('\n');
  });

  it('on a terminal: clear() takes the line away and the next update draws it again; cut to the width', () => {
    const { writes, stream, clock, now } = fakes(true, 20);
    const line = new ProgressLine(stream, { now });
    line.start(4);
    line.update(1);
    line.clear();
    clock.t += 10;
    line.update(2);
    expect(writes[0]!.length).toBeLessThanOrEqual(1 + 19 + 3);
    expect(writes[1]).toBe('\r\x1b[K');
    expect(writes[2]).toMatch(/^\r50% 2\/4/);
  });

  it('not a terminal: plain lines at most every 5 s and every 10%, and one at the end', () => {
    const { writes, stream, clock, now } = fakes(false);
    const line = new ProgressLine(stream, { label: 'run', now });
    line.start(1000);
    for (let step = 1; step <= 1000; step++) {
      clock.t += 100; // 100 s in all: 10% takes 10 s, so the 10% rule is the rarer one
      line.update(step);
    }
    line.done();
    expect(writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
    expect(writes.map((w) => w.split(',')[0])).toEqual([
      ...[10, 20, 30, 40, 50, 60, 70, 80, 90].map((p) => `run: ${p}% ${p * 10}/1000`),
      'run: 100% 1000/1000',
    ]);
    expect(writes.at(-1)).toBe('run: 100% 1000/1000, 1m40s elapsed, ETA 0s\n');
  });

  it('not a terminal: a fast run gets lines only every 5 s', () => {
    const { writes, stream, clock, now } = fakes(false);
    const line = new ProgressLine(stream, { now });
    line.start(100);
    for (let step = 1; step <= 100; step++) {
      clock.t += 200; // 20 s in all: 5 s is 25%
      line.update(step);
    }
    line.done();
    expect(writes.map((w) => w.split(' ')[0])).toEqual(['25%', '50%', '75%', '100%']);
  });

  it('writes nothing at done() when it never started', () => {
    const { writes, stream } = fakes(false);
    new ProgressLine(stream).done();
    expect(writes).toEqual([]);
  });
});
