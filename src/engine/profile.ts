import { appendFileSync } from 'node:fs';
import { tf } from './backend';

/*
 * Where a training thread's time goes (`npm run bench -- --profile`). Off unless the environment variable
 * DLFS_PROFILE names a file; then every thread that trains members times its phases and every tfjs kernel
 * it runs, and appends one JSON line (a ThreadProfile) to that file when it ends. Off, a phase costs one
 * function call and nothing is recorded.
 */

export const PROFILE_ENV = 'DLFS_PROFILE';

/** The parts of a training step, and the accuracy passes between epochs. */
export const PROFILE_PHASES = ['batches', 'gradient', 'optimizer', 'accuracy'] as const;
export type ProfilePhase = (typeof PROFILE_PHASES)[number];

/** One thread's times in milliseconds: its wall time, each phase, and each phase's kernels by name. */
export interface ThreadProfile {
  members: number[];
  wallMs: number;
  phaseMs: Record<ProfilePhase, number>;
  kernelMs: Record<ProfilePhase, Record<string, number>>;
}

interface Recording {
  file: string;
  started: number;
  phase: ProfilePhase | undefined;
  phaseMs: Record<ProfilePhase, number>;
  kernelMs: Record<ProfilePhase, Record<string, number>>;
}

let recording: Recording | undefined;

const perPhase = <T>(make: () => T): Record<ProfilePhase, T> =>
  Object.fromEntries(PROFILE_PHASES.map((phase) => [phase, make()])) as Record<ProfilePhase, T>;

/** Starts recording in this thread if DLFS_PROFILE is set (the backend must be initialised). */
export function startProfile(): void {
  const file = process.env[PROFILE_ENV];
  if (!file) return;
  timeKernels();
  recording = {
    file,
    started: performance.now(),
    phase: undefined,
    phaseMs: perPhase(() => 0),
    kernelMs: perPhase(() => ({})),
  };
}

/** Appends this thread's profile to the file and stops recording. */
export function finishProfile(members: number[]): void {
  if (!recording) return;
  const { file, started, phaseMs, kernelMs } = recording;
  recording = undefined;
  const profile: ThreadProfile = { members, wallMs: performance.now() - started, phaseMs, kernelMs };
  appendFileSync(file, `${JSON.stringify(profile)}\n`);
}

/** Runs `work` as (part of) `phase`. Phases do not nest: an inner phase's time stays its outer phase's. */
export function profiled<T>(phase: ProfilePhase, work: () => T): T {
  if (!recording || recording.phase !== undefined) return work();
  const started = performance.now();
  recording.phase = phase;
  try {
    return work();
  } finally {
    recording.phase = undefined;
    recording.phaseMs[phase] += performance.now() - started;
  }
}

let kernelsTimed = false;

/**
 * Wraps every kernel of the current backend in a timer. WASM and CPU kernels run synchronously, so the
 * time around the call is the kernel's; a kernel that calls kernels counts once, as the outermost.
 */
function timeKernels(): void {
  if (kernelsTimed) return;
  kernelsTimed = true;
  const backendName = tf.getBackend();
  let depth = 0;
  for (const config of tf.getKernelsForBackend(backendName)) {
    const kernelFunc = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const active = recording;
        if (!active?.phase || depth > 0) return kernelFunc(args);
        const phase = active.phase;
        const started = performance.now();
        depth++;
        try {
          return kernelFunc(args);
        } finally {
          depth--;
          const kernels = active.kernelMs[phase];
          kernels[config.kernelName] = (kernels[config.kernelName] ?? 0) + performance.now() - started;
        }
      },
    });
  }
}

/** The kernels that multiply matrices; every other kernel counts as element-wise. */
const GEMM_KERNELS = new Set(['_FusedMatMul', 'BatchMatMul']);

/** One row of the split: a share of the threads' summed wall time. */
export interface SplitPart {
  label: string;
  ms: number;
}

/** The threads' time as GEMMs, other kernels, JavaScript around the kernels, per phase, and the rest. */
export function profileSplit(threads: ThreadProfile[]): { wallMs: number; parts: SplitPart[] } {
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const kernels = (phase: ProfilePhase, gemm: boolean): number =>
    sum(
      threads.flatMap((thread) =>
        Object.entries(thread.kernelMs[phase])
          .filter(([name]) => GEMM_KERNELS.has(name) === gemm)
          .map(([, ms]) => ms),
      ),
    );
  const phase = (name: ProfilePhase): number => sum(threads.map((thread) => thread.phaseMs[name]));
  const wallMs = sum(threads.map((thread) => thread.wallMs));
  const parts: SplitPart[] = [];
  for (const name of PROFILE_PHASES) {
    const gemm = kernels(name, true);
    const other = kernels(name, false);
    parts.push({ label: `${name}: GEMM kernels`, ms: gemm });
    parts.push({ label: `${name}: other kernels`, ms: other });
    parts.push({ label: `${name}: JavaScript (copies, gathers, loops)`, ms: phase(name) - gemm - other });
  }
  parts.push({ label: 'outside the phases (set-up, reports, waiting)', ms: wallMs - sum(PROFILE_PHASES.map(phase)) });
  return { wallMs, parts };
}
