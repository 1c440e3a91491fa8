import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * The four IDX files of a dataset folder broken every way (wrong magic, short header, images and
 * labels counts that differ, truncated body, labels above 9, gzip garbage, zero images, a missing or
 * an overlong file), end to end: a run in the lab (web host: the run fails with a message naming the
 * file) and `lab run --data DIR` on the command line (exit 1, the message naming the file).
 * src/engine/data's tests cover the parser itself.
 */
const crashes = countCrashes();
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const root = mkdtempSync(path.join(os.tmpdir(), 'dlfs-faults-idx-'));
const good = smallMnist(path.join(root, 'good'), 200, 100);
let t: TestHost;

beforeAll(async () => {
  t = await startTestHost('idx');
});
afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

const TRAIN_IMAGES = 'train-images-idx3-ubyte';
const TRAIN_LABELS = 'train-labels-idx1-ubyte';
const TEST_IMAGES = 't10k-images-idx3-ubyte';
const TEST_LABELS = 't10k-labels-idx1-ubyte';

interface Breakage {
  name: string;
  /** The file the message must name. */
  file: string;
  problem: RegExp;
  /** Breaks the copy of the good folder in `dir`. */
  breakIn(dir: string): void;
}

const bytesOf = (dir: string, file: string) => readFileSync(path.join(dir, file));
const put = (dir: string, file: string, bytes: Uint8Array) => writeFileSync(path.join(dir, file), bytes);

const BREAKAGES: Breakage[] = [
  {
    name: 'wrong magic',
    file: TRAIN_IMAGES,
    problem: /wrong magic number/,
    breakIn: (dir) => {
      const b = bytesOf(dir, TRAIN_IMAGES);
      b.writeUInt32BE(0x00000d03, 0);
      put(dir, TRAIN_IMAGES, b);
    },
  },
  {
    name: 'short header',
    file: TEST_LABELS,
    problem: /too short|truncated header/,
    breakIn: (dir) => put(dir, TEST_LABELS, bytesOf(dir, TEST_LABELS).subarray(0, 6)),
  },
  {
    name: 'images and labels counts differ',
    file: TRAIN_LABELS,
    problem: /holds 199 labels but train-images-idx3-ubyte holds 200 images/,
    breakIn: (dir) => {
      const b = bytesOf(dir, TRAIN_LABELS);
      b.writeUInt32BE(199, 4);
      put(dir, TRAIN_LABELS, b.subarray(0, b.length - 1));
    },
  },
  {
    name: 'truncated body',
    file: TEST_IMAGES,
    problem: /truncated: .* needs/,
    breakIn: (dir) => {
      const b = bytesOf(dir, TEST_IMAGES);
      put(dir, TEST_IMAGES, b.subarray(0, b.length - 1000));
    },
  },
  {
    name: 'a label above 9',
    file: TRAIN_LABELS,
    problem: /label 12 at item 7 is out of range 0\.\.9/,
    breakIn: (dir) => {
      const b = bytesOf(dir, TRAIN_LABELS);
      b[8 + 7] = 12;
      put(dir, TRAIN_LABELS, b);
    },
  },
  {
    name: 'gzip garbage',
    file: `${TEST_IMAGES}.gz`,
    problem: /corrupt gzip data/,
    breakIn: (dir) => {
      const gz = gzipSync(bytesOf(dir, TEST_IMAGES));
      unlinkSync(path.join(dir, TEST_IMAGES));
      gz.fill(0x5a, 20, 200);
      put(dir, `${TEST_IMAGES}.gz`, gz.subarray(0, gz.length - 50));
    },
  },
  {
    name: 'zero images',
    file: TRAIN_IMAGES,
    problem: /a dimension is zero/,
    breakIn: (dir) => {
      const b = Buffer.alloc(16);
      b.writeUInt32BE(0x0803, 0);
      b.writeUInt32BE(0, 4);
      b.writeUInt32BE(28, 8);
      b.writeUInt32BE(28, 12);
      put(dir, TRAIN_IMAGES, b);
    },
  },
  {
    name: 'a missing file',
    file: TEST_LABELS,
    problem: /file not found/,
    breakIn: (dir) => unlinkSync(path.join(dir, TEST_LABELS)),
  },
  {
    name: 'bytes past the end',
    file: TRAIN_IMAGES,
    problem: /bytes longer than its header/,
    breakIn: (dir) => put(dir, TRAIN_IMAGES, Buffer.concat([bytesOf(dir, TRAIN_IMAGES), Buffer.alloc(3)])),
  },
];

/** A copy of the good folder with one breakage. */
function brokenFolder(b: Breakage, i: number): string {
  const dir = path.join(root, `broken-${i}`);
  cpSync(good, dir, { recursive: true });
  b.breakIn(dir);
  return dir;
}

const RUN = { experiment: 'optimizers-mnist', params: { iterations: 5, hidden: [30, 20], optimizers: ['SGD'] } };

function lab(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/index.ts', ...args],
      { cwd: repo, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('a dataset folder with broken IDX files', () => {
  const folders = BREAKAGES.map((b, i) => brokenFolder(b, i));

  it('in the lab: the run fails with a message naming the file and what is wrong', async () => {
    const s = await LabSocket.open(t.port);
    const messages: string[] = [];
    for (const [i, b] of BREAKAGES.entries()) {
      await s.result('chooseDatasetDir', [folders[i]]);
      const { runId } = await s.result<{ runId: string }>('startRun', [RUN]);
      await until(() => !!endOf(s.events, runId), `the end of the run on ${b.name}`);
      const end = endOf(s.events, runId)!.event;
      expect(end.type, b.name).toBe('failed');
      const error = end.type === 'failed' ? end.error : '';
      expect(error, b.name).toContain(path.join(folders[i]!, b.file));
      expect(error, b.name).toMatch(b.problem);
      messages.push(`${b.name}: ${error.replace(root, '<tmp>')}`);
    }
    // The lab goes on: back on the default dataset, a run completes; the failed ones made no record.
    await s.result('resetDatasetDir');
    const { runId } = await s.result<{ runId: string }>('startRun', [RUN]);
    await until(() => !!endOf(s.events, runId), 'a run on the good dataset');
    expect(endOf(s.events, runId)!.event.type).toBe('finished');
    s.close();
    report('idx', {
      filesBroken: BREAKAGES.length,
      messagesSent: BREAKAGES.length * 2 + 2,
      crashes: crashes.count(),
      notes: messages.map((m) => `app: ${m}`),
    });
    expect(crashes.errors).toEqual([]);
  });

  it('on the command line: `lab run --data DIR` exits 1 with a message naming the file', async () => {
    const results: { code: number | null; stderr: string }[] = [];
    // Two at a time: each is a Node process loading tfjs.
    for (let i = 0; i < BREAKAGES.length; i += 2) {
      const batch = BREAKAGES.slice(i, i + 2).map((_, j) =>
        lab(['run', 'optimizers-mnist', '--data', folders[i + j]!, '--set', 'iterations=5', '--quiet']),
      );
      results.push(...(await Promise.all(batch)));
    }
    const notes: string[] = [];
    BREAKAGES.forEach((b, i) => {
      const { code, stderr } = results[i]!;
      expect(code, `${b.name}: ${stderr}`).toBe(1);
      expect(stderr, b.name).toContain(path.join(folders[i]!, b.file));
      expect(stderr, b.name).toMatch(b.problem);
      notes.push(`cli: ${b.name}: exit ${code}, ${stderr.trim().split('\n')[0]!.replace(root, '<tmp>')}`);
    });
    report('idx', { notes });
  });
});
