import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend';
import { PROFILE_ENV, PROFILE_PHASES, type ThreadProfile, profileSplit } from './profile';
import { recordRun } from './runs.test-helpers';

/* Real runs with DLFS_PROFILE set: each training thread appends where its time went. */

const dir = mkdtempSync(path.join(tmpdir(), 'dlfs-profile-'));

beforeAll(async () => {
  await initBackend();
});

afterAll(() => {
  delete process.env[PROFILE_ENV];
  rmSync(dir, { recursive: true, force: true });
});

function profileOf(params: Record<string, unknown>, threads: number, file: string): Promise<ThreadProfile[]> {
  process.env[PROFILE_ENV] = file;
  return recordRun('optimizers-mnist', params, { threads }).then(() => {
    delete process.env[PROFILE_ENV];
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ThreadProfile);
  });
}

describe('DLFS_PROFILE', () => {
  it('writes one line per thread: its members, phases within its wall time, and the GEMMs of the gradient', async () => {
    const profiles = await profileOf({ iterations: 30 }, 2, path.join(dir, 'two.jsonl'));
    expect(profiles).toHaveLength(2);
    expect(profiles.flatMap((p) => p.members).sort()).toEqual([0, 1, 2, 3]);
    for (const profile of profiles) {
      const phases = PROFILE_PHASES.map((phase) => profile.phaseMs[phase]);
      expect(Math.min(...phases.slice(0, 3))).toBeGreaterThan(0);
      expect(phases.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(profile.wallMs);
      const gradientKernels = Object.keys(profile.kernelMs.gradient);
      expect(gradientKernels.some((name) => name === '_FusedMatMul' || name === 'BatchMatMul')).toBe(true);
      const split = profileSplit([profile]);
      expect(split.parts.reduce((total, part) => total + part.ms, 0)).toBeCloseTo(profile.wallMs, 6);
      expect(split.parts.find((part) => part.label === 'gradient: GEMM kernels')!.ms).toBeGreaterThan(0);
      for (const phase of PROFILE_PHASES) {
        const kernelTotal = Object.values(profile.kernelMs[phase]).reduce((a, b) => a + b, 0);
        expect(kernelTotal).toBeLessThanOrEqual(profile.phaseMs[phase] + 1e-6);
      }
    }
  });

  it('in one thread, one line for all members; unset, nothing more is written', async () => {
    const file = path.join(dir, 'one.jsonl');
    const profiles = await profileOf({ iterations: 5 }, 1, file);
    expect(profiles.map((p) => p.members)).toEqual([[0, 1, 2, 3]]);
    await recordRun('optimizers-mnist', { iterations: 5 }, { threads: 1 });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
