import type { BackendName } from '../../shared/backends';
import type { Dataset } from '../data/mnist';
import type { ProgressReporter } from '../progress';
import type { KeptNets } from '../trained-nets';
import type { RecordedInside } from '../inside';
import type { TrialQueue } from '../search/trial-queue';

/** What an experiment module gets from the runner. */
export interface ExperimentContext {
  /** Loads (once) the dataset of the run. */
  dataset(): Dataset;
  dataDir: string;
  backend: BackendName;
  reporter: ProgressReporter;
  signal: AbortSignal;
  /** How many worker threads independent members (nets, trials) may use. */
  threads: number;
  /** The trained nets the run keeps (issue #19): modules reserve room and hand their nets over. */
  nets: KeptNets;
  /** What the run records inside its nets (issue #19; `insideEvery` > 0): modules hand the moments over. */
  inside: RecordedInside;
  /** Where a search trains its trials instead of its own threads (issue #20: `--queue`); none: in-process. */
  trialQueue?: TrialQueue;
}

export interface ExperimentResult {
  summary: Record<string, unknown>;
}

/** An experiment's engine module: how to run it and how many steps its progress bar counts (registry.ts lists them). */
export interface ExperimentModule<Params> {
  run(params: Params, context: ExperimentContext): Promise<ExperimentResult>;
  totalSteps(params: Params): number;
}
