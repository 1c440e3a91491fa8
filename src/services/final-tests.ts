import { hyperparameterSearch } from '../shared/slots/hyperparameter-search';
import { type ChosenTrial, type TestEvaluation, type TestEvaluationReply, chosenTrial } from '../shared/final-test';
import { workerToHostSchema } from '../shared/worker-protocol';
import type { HistoryStore } from './history';
import type { WorkerProcess } from './worker-process';

/**
 * Step 4 of a search, on request: the chosen trial trained again on all the search's images and
 * measured on the test data once, in a worker process of its own (a few seconds at the book's sizes;
 * the runs' slots are not involved). The first result is kept in the search's record; a second request,
 * also one made while the first is measuring, gets that result back, marked `repeated`.
 */
export class FinalTests {
  private readonly pending = new Map<string, Promise<TestEvaluation>>();
  private readonly workers = new Set<WorkerProcess>();

  constructor(
    private readonly history: HistoryStore,
    private readonly launchWorker: () => WorkerProcess,
    private readonly dataDir: () => string,
  ) {}

  async evaluate(runId: string, trial: number): Promise<TestEvaluationReply> {
    const record = this.history.get(runId);
    if (record.experiment !== hyperparameterSearch.id)
      throw new Error(`run "${runId}" is no hyper-parameter search: only a search has a step 4`);
    if (record.testEvaluation) return { evaluation: record.testEvaluation, repeated: true };
    const running = this.pending.get(runId);
    if (running) return { evaluation: await running, repeated: true };
    if (record.status !== 'completed')
      throw new Error(`the search "${runId}" has not completed (${record.status}): step 4 comes after steps 1 to 3`);
    const chosen = chosenTrial(record.series, trial);
    if (!chosen) throw new Error(`the search "${runId}" has no trial ${trial}`);
    const measuring = this.measure(runId, record.params, chosen).then((evaluation) => {
      this.history.saveTestEvaluation(runId, evaluation);
      return evaluation;
    });
    this.pending.set(runId, measuring);
    try {
      return { evaluation: await measuring, repeated: false };
    } finally {
      this.pending.delete(runId);
    }
  }

  /** The app is closing: an evaluation under way is dropped (nothing was recorded yet). */
  shutdown(): void {
    for (const worker of this.workers) worker.kill();
    this.workers.clear();
  }

  private measure(runId: string, params: Record<string, unknown>, chosen: ChosenTrial): Promise<TestEvaluation> {
    return new Promise((resolve, reject) => {
      const worker = this.launchWorker();
      this.workers.add(worker);
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        this.workers.delete(worker);
        worker.kill();
        outcome();
      };
      worker.onMessage((raw) => {
        const parsed = workerToHostSchema.safeParse(raw);
        if (!parsed.success || !('runId' in parsed.data) || parsed.data.runId !== runId) return;
        const message = parsed.data;
        if (message.type === 'final-tested') settle(() => resolve(message.evaluation));
        else if (message.type === 'final-test-failed')
          settle(() => reject(new Error(`the evaluation on the test data failed: ${message.error}`)));
      });
      worker.onExit((reason) =>
        settle(() => reject(new Error(`the evaluation on the test data stopped: the worker ${reason}`))),
      );
      worker.send({ type: 'final-test', runId, params, chosen, dataDir: this.dataDir() });
    });
  }
}
