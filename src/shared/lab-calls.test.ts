import { describe, expect, it } from 'vitest';
import type { RunEvent } from './api';
import { RUN_EVENT_CHANNEL, labCallChannel } from './ipc-channels';
import { LAB_CALLS, LAB_CALL_NAMES, isLabCall, labApiOver } from './lab-calls';

describe('the LabApi call table', () => {
  it('builds named functions only, one per call plus the subscription, each passing its arguments on', async () => {
    const calls: [string, unknown[]][] = [];
    const listeners = new Set<(event: RunEvent) => void>();
    const api = labApiOver({
      call: async (name, args) => {
        calls.push([name, args]);
        return name;
      },
      onRunEvent: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    expect(Object.keys(api).sort()).toEqual([...LAB_CALL_NAMES, 'onRunEvent'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');

    await expect(api.getRun('run-1')).resolves.toBe('getRun');
    await api.chooseDatasetDir(undefined);
    await api.info();
    expect(calls).toEqual([
      ['getRun', ['run-1']],
      ['chooseDatasetDir', [undefined]],
      ['info', []],
    ]);

    const unsubscribe = api.onRunEvent(() => {});
    expect(listeners.size).toBe(1);
    unsubscribe();
    expect(listeners.size).toBe(0);
  });

  it('validates arguments with the schemas the hosts use', () => {
    expect(isLabCall('startRun')).toBe(true);
    expect(isLabCall('onRunEvent')).toBe(false);
    expect(isLabCall('toString')).toBe(false);
    expect(LAB_CALLS.getRun.safeParse(['../../etc']).success).toBe(false);
    expect(LAB_CALLS.info.safeParse([1]).success).toBe(false);
    // A path typed or not: JSON sends an absent one as null, ipc as undefined or nothing.
    for (const args of [[], [null], [undefined]]) {
      expect(LAB_CALLS.chooseDatasetDir.safeParse(args)).toMatchObject({ success: true, data: [undefined] });
    }
  });

  it('saves a chart as PNG (a data URL) or SVG, CSV, JSON (text), a net as .npz (a data URL), under a safe name only', () => {
    const ok = (suggestedName: string, content: string) =>
      LAB_CALLS.saveFile.safeParse([{ suggestedName, content }]).success;
    expect(ok('loss-2026-01-02-0304.png', 'data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    expect(ok('loss.svg', '<svg xmlns="http://www.w3.org/2000/svg"></svg>')).toBe(true);
    expect(ok('loss.csv', 'x,run / SGD\r\n0,2.3\r\n')).toBe(true);
    expect(ok('loss.json', '{"columns":[],"rows":[]}')).toBe(true);
    expect(ok('loss.png', '<svg/>')).toBe(false);
    expect(ok('loss.csv', 'data:image/png;base64,iVBORw0KGgo=')).toBe(false);
    expect(ok('weight-decay-_=0.1.npz', 'data:application/octet-stream;base64,UEsDBA==')).toBe(true);
    expect(ok('net.npz', 'PK')).toBe(false);
    expect(ok('net.csv', 'data:application/octet-stream;base64,UEsDBA==')).toBe(false);
    expect(ok('loss.exe', 'x')).toBe(false);
    expect(ok('../loss.csv', 'x')).toBe(false);
    expect(ok('loss.csv', 'x'.repeat(64 * 1024 * 1024 + 1))).toBe(false);
  });

  it('names one ipc channel per call, apart from the run events', () => {
    const channels = new Set(LAB_CALL_NAMES.map(labCallChannel));
    expect(channels.size).toBe(LAB_CALL_NAMES.length);
    expect(channels.has(RUN_EVENT_CHANNEL as never)).toBe(false);
  });
});
