import { type ExperimentId, type ExperimentParams, slotOf } from './experiments';
import { type InsidePlan, insidePlan } from './inside';
import { memoryWorkload } from './memory-budget';
import type { MemoryWorkload } from './memory-model';
import { keepNetsRefusal, netArrayBytes } from './trained-nets';

/*
 * What a run will keep besides its record, as the form shows it before the run (issue #19): its
 * trained nets, and what it records inside them. The engine decides the same from the same numbers
 * (engine/experiments/epoch-series.ts `keeping`); kept-with-run.test.ts runs every experiment to check.
 */
export interface KeptWithRun {
  nets: { count: number; bytes: number; refusal: string | null };
  /** null when the run records nothing inside its nets (`insideEvery` 0). */
  inside: InsidePlan | null;
}

/** What a run of this workload keeps, recording inside its nets every `insideEvery` updates; null: it trains no net. */
export function keptWithRun(workload: MemoryWorkload, insideEvery: number): KeptWithRun | null {
  if (workload.kind !== 'training') return null;
  const once = workload.nets.map((net) => ({ hidden: net.hidden, batchNorm: net.batchNorm }));
  const shapes = Array.from({ length: workload.repeats ?? 1 }, () => once).flat();
  const bytes = shapes.reduce((sum, shape) => sum + netArrayBytes(shape), 0);
  return {
    nets: { count: shapes.length, bytes, refusal: keepNetsRefusal(bytes, shapes.length) },
    inside: insideEvery > 0 ? insidePlan(shapes, workload.runBatches, insideEvery) : null,
  };
}

/** What a run of `id` with parameters not yet typed (a form's) keeps; null: not valid, or it trains no net. */
export function keptWithRunOf(id: ExperimentId, params: unknown): KeptWithRun | null {
  const parsed = slotOf(id).params.safeParse(params ?? {});
  if (!parsed.success) return null;
  const typed = parsed.data as ExperimentParams<ExperimentId>;
  const insideEvery = 'insideEvery' in typed && typeof typed.insideEvery === 'number' ? typed.insideEvery : 0;
  return keptWithRun(memoryWorkload(id, typed), insideEvery);
}
