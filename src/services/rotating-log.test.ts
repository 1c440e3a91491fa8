import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotatingLog } from './rotating-log';

describe('RotatingLog', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'dlfs-log-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const at = new Date('2026-11-30T12:00:00.000Z');

  it('writes one timed line per entry, indenting continuation lines of a stack', () => {
    const log = new RotatingLog(path.join(folder, 'logs'), 'main', { now: () => at });
    log.info('run r1 started: optimizers-mnist');
    const error = new Error('worker gone');
    error.stack = 'Error: worker gone\n    at here';
    log.error('run r1 failed', error);
    expect(readFileSync(log.file, 'utf8')).toBe(
      '2026-11-30T12:00:00.000Z [info] run r1 started: optimizers-mnist\n' +
        '2026-11-30T12:00:00.000Z [error] run r1 failed: Error: worker gone\n        at here\n',
    );
  });

  it('rotates by size, keeps the newest files, drops the oldest, and never loses the newest line', () => {
    const log = new RotatingLog(folder, 'main', { maxBytes: 200, keep: 2, now: () => at });
    for (let i = 0; i < 40; i++) log.info(`line ${String(i).padStart(2, '0')} ${'x'.repeat(20)}`);
    expect(readdirSync(folder).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    for (const file of [log.file, log.rotated(1), log.rotated(2)]) {
      expect(readFileSync(file, 'utf8').length).toBeLessThanOrEqual(200);
    }
    const current = readFileSync(log.file, 'utf8');
    expect(current).toContain('line 39');
    // The files hold consecutive lines, newest last: rotated(2) < rotated(1) < current.
    const numbers = [log.rotated(2), log.rotated(1), log.file].flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/line (\d+)/g)].map((m) => Number(m[1])),
    );
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    expect(numbers.at(-1)).toBe(39);
  });

  it('goes on from the size of a log left by an earlier launch', () => {
    writeFileSync(path.join(folder, 'main.log'), 'x'.repeat(190));
    const log = new RotatingLog(folder, 'main', { maxBytes: 200, now: () => at });
    log.info('next launch');
    expect(readFileSync(log.rotated(1), 'utf8')).toBe('x'.repeat(190));
    expect(readFileSync(log.file, 'utf8')).toContain('next launch');
  });

  it('drops a line it cannot write instead of throwing', () => {
    const blocker = path.join(folder, 'not-a-folder');
    writeFileSync(blocker, '');
    const log = new RotatingLog(path.join(blocker, 'logs'), 'main');
    expect(() => log.error('no place to write', new Error('x'))).not.toThrow();
  });
});
