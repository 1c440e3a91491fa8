import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabInfo } from '../../shared/api';
import {
  EXPERIMENT_IDS,
  type ExperimentId,
  type JsonSchemaNode,
  defaultParams,
  paramsJsonSchema,
  parseParams,
} from '../../shared/experiments';
import {
  checkMemory,
  estimateMemoryOf,
  formatBytes,
  formatFactor,
  mainDrivers,
  memoryWorkload,
  serviceThreads,
} from '../../shared/memory-budget';
import {
  LabSocket,
  type TestHost,
  countCrashes,
  endOf,
  report,
  smallMnist,
  startTestHost,
  until,
} from './fault-helpers';

/**
 * Settings the backend cannot hold, for every experiment, through the real web host's socket: each
 * experiment at its largest (every integer and list of integers at its limit) is refused within 1 s
 * with its estimate and the parameters that drive it. An experiment whose largest settings still fit
 * (it trains no net) is named, and its largest run is accepted and cancelled.
 */
const crashes = countCrashes();
const REFUSED_WITHIN_MS = 1000;
let t: TestHost;
let messages = 0;
const notes: string[] = [];
const dataDir = path.join(os.tmpdir(), `dlfs-faults-memory-mnist-${process.pid}`);

beforeAll(async () => {
  t = await startTestHost('memory', { dataDir: smallMnist(dataDir) });
});
afterAll(async () => {
  report('memory', { messagesSent: messages, crashes: crashes.count(), notes });
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * An experiment's parameters at their largest: integers and integer lists at their limits, all choices,
 * flags on, and a list of groups (the workbench's variants) at its most items, each at its largest.
 */
function largest(id: ExperimentId): Record<string, unknown> {
  return largestOf(paramsJsonSchema(id), structuredClone(defaultParams(id)));
}

function largestOf(schema: JsonSchemaNode, params: Record<string, unknown>): Record<string, unknown> {
  for (const [name, node] of Object.entries(schema.properties ?? {})) {
    if (name === 'seed') continue;
    if (node.type === 'integer' && node.maximum !== undefined) params[name] = node.maximum;
    if (node.type === 'boolean') params[name] = true;
    if (node.type === 'array' && node.items?.type === 'integer' && node.items.maximum !== undefined)
      params[name] = Array<number>(node.maxItems ?? 1).fill(node.items.maximum);
    if (node.type === 'array' && node.choices) params[name] = [...node.choices];
    const first = (params[name] as unknown[] | undefined)?.[0];
    if (node.type === 'array' && node.items?.properties && first && typeof first === 'object') {
      params[name] = Array.from({ length: node.maxItems ?? 1 }, (_, i) => ({
        ...largestOf(node.items!, structuredClone(first) as Record<string, unknown>),
        name: `item ${i + 1}`,
      }));
    }
  }
  return params;
}

describe('settings the backend cannot hold', () => {
  it('every experiment at its largest: refused within 1 s naming its estimate, or shown to fit', async () => {
    const s = await LabSocket.open(t.port);
    const refused: string[] = [];
    const fitting: string[] = [];
    let slowest = 0;
    for (const id of EXPERIMENT_IDS) {
      const params = largest(id);
      const info = await s.result<LabInfo>('info');
      messages++;
      const estimate = estimateMemoryOf(id, params, serviceThreads(id, info.cores, info.maxConcurrentRuns));
      expect(estimate, `${id}: its largest settings validate`).not.toBeNull();
      const { exceeds } = checkMemory(estimate!, info.memory);

      const started = Date.now();
      const reply = await s.call('startRun', [{ experiment: id, params }]);
      const ms = Date.now() - started;
      messages++;
      if (exceeds) {
        expect(reply.type, id).toBe('error');
        const message = reply.type === 'error' ? reply.message : '';
        expect(ms, `${id} refused in ${ms} ms`).toBeLessThan(REFUSED_WITHIN_MS);
        expect(message, id).toContain(`the run needs ≈ ${formatBytes(exceeds.neededBytes)}`);
        expect(message, id).toContain(formatBytes(exceeds.limitBytes));
        for (const driver of mainDrivers(estimate!)) expect(message, id).toContain(formatFactor(driver));
        slowest = Math.max(slowest, ms);
        refused.push(`${id} (≈ ${formatBytes(exceeds.neededBytes)}, ${ms} ms)`);
        continue;
      }
      // Only an experiment that trains no net may fit at its largest: then its largest run starts.
      expect(memoryWorkload(id, parseParams(id, params)).kind, `${id} fits at its largest`).toBe('direct');
      expect(reply.type, `${id}: its largest settings fit, so the run starts`).toBe('result');
      const { runId } = (reply.type === 'result' ? reply.result : {}) as { runId: string };
      // A worker drops a cancel that comes before it has started the run: wait for "started".
      const startedOrEnded = () => s.events.some((e) => e.runId === runId && e.event.type === 'started');
      await until(() => startedOrEnded() || !!endOf(s.events, runId), `the start of ${id}'s largest run`);
      await s.result('cancelRun', [runId]);
      messages++;
      await until(() => !!endOf(s.events, runId), `the end of ${id}'s largest run`);
      fitting.push(`${id} (≈ ${formatBytes(estimate!.totalBytes)} at its largest)`);
    }
    s.close();
    notes.push(`refused at once (slowest ${slowest} ms): ${refused.join(', ')}`);
    notes.push(`trains no net and fits even at its largest, so nothing to refuse: ${fitting.join(', ') || 'none'}`);
    expect(refused.length + fitting.length).toBe(EXPERIMENT_IDS.length);
    expect(crashes.count()).toBe(0);
  });
});
