import { describe, expect, it } from 'vitest';
import type { MemberValue } from '../experiments/types';
import { RoundRecorder } from './trial-queue';

function recording(members: number) {
  const values: MemberValue[] = [];
  const batches: number[] = [];
  const workers: [number, string][] = [];
  const recorder = new RoundRecorder(members, {
    onValue: (value) => values.push(value),
    onBatches: (count) => batches.push(count),
    onWorker: (member, worker) => workers.push([member, worker]),
  });
  return { recorder, values, batches, workers };
}

const accuracy = (step: number, value: number) => ({ member: 0, step, metric: 'validation accuracy', value });

describe('RoundRecorder: what queue workers report, recorded once per trial', () => {
  it('passes values on under the trial’s place in the round, and names each worker once', () => {
    const { recorder, values, workers } = recording(3);
    recorder.progress(2, { worker: 'a', batches: 0, values: [accuracy(0, 0.1)] });
    recorder.progress(2, { worker: 'a', batches: 4, values: [accuracy(1, 0.2)] });
    expect(values).toEqual([
      { member: 2, step: 0, metric: 'validation accuracy', value: 0.1 },
      { member: 2, step: 1, metric: 'validation accuracy', value: 0.2 },
    ]);
    expect(workers).toEqual([[2, 'a']]);
  });

  it('records a retried trial’s values only past where its first attempt got, and its batches only beyond', () => {
    const { recorder, values, batches, workers } = recording(1);
    recorder.progress(0, { worker: 'killed', batches: 8, values: [accuracy(0, 0.1), accuracy(1, 0.2)] });
    recorder.progress(0, { worker: 'other', batches: 4, values: [accuracy(0, 0.1)] });
    recorder.progress(0, { worker: 'other', batches: 12, values: [accuracy(1, 0.2), accuracy(2, 0.3)] });
    recorder.finished(0, {
      worker: 'other',
      values: [accuracy(0, 0.1), accuracy(1, 0.2), accuracy(2, 0.3), accuracy(3, 0.4)],
    });
    expect(values.map((v) => v.step)).toEqual([0, 1, 2, 3]);
    expect(batches).toEqual([8, 4]);
    expect(workers).toEqual([
      [0, 'killed'],
      [0, 'other'],
    ]);
  });

  it('keeps a diverged value (NaN) as it came', () => {
    const { recorder, values } = recording(1);
    recorder.finished(0, { worker: 'a', values: [accuracy(1, NaN)] });
    expect(values[0]!.value).toBeNaN();
  });
});
