import { runExperiment } from '../src/engine/runner';
import type { TrialResult } from '../src/engine/experiments/hyperparameter-search';
import type { SamplerName } from '../src/shared/slots/hyperparameter-search';

/**
 * `npm run bench:samplers [-- --seeds N --trials T --epochs E --samplers random,tpe]`: the book's
 * search (100 trials of 50 epochs on 400 images, validated on 100) with each sampler at the same
 * seeds, and each run's best-5 mean validation accuracy (issue #20: random against TPE at equal
 * trials). Prints one line per run and the mean over the seeds per sampler. Not part of `npm test`.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const seeds = Number(option('seeds', '5'));
const trials = Number(option('trials', '100'));
const epochs = Number(option('epochs', '50'));
const samplers = option('samplers', 'random,tpe').split(',') as SamplerName[];

/** The mean validation accuracy of a search's five best trials (diverged trials rank last). */
function bestFiveMean(summary: Record<string, unknown>): number {
  const ranked = (summary as { trials: TrialResult[] }).trials.slice(0, 5);
  return ranked.reduce((sum, t) => sum + (t.validationAccuracy ?? 0), 0) / ranked.length;
}

const results = new Map<SamplerName, number[]>(samplers.map((s) => [s, []]));
for (let seed = 1; seed <= seeds; seed++) {
  for (const sampler of samplers) {
    const started = performance.now();
    const record = await runExperiment('hyperparameter-search', { trials, epochs, seed, sampler });
    if (record.status !== 'completed')
      throw new Error(`${sampler} seed ${seed}: ${record.status} ${record.error ?? ''}`);
    const value = bestFiveMean(record.summary);
    results.get(sampler)!.push(value);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `seed ${seed}  ${sampler.padEnd(6)}  best-5 mean validation accuracy ${value.toFixed(4)}  (${seconds} s)`,
    );
  }
}
for (const [sampler, values] of results) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  console.log(
    `${sampler.padEnd(6)}  mean over ${values.length} seeds ${mean.toFixed(4)}  (min ${lo.toFixed(4)}, max ${hi.toFixed(4)})`,
  );
}
