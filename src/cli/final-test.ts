import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { initBackend } from '../engine/backend';
import { defaultDataDir, loadDataset } from '../engine/data/mnist';
import { evaluateOnTest } from '../engine/experiments/final-test';
import { trialRows } from '../shared/charts/search';
import { parseParams } from '../shared/experiments';
import { type TestEvaluation, chosenTrial } from '../shared/final-test';
import type { RunRecord } from '../shared/runs';
import { hyperparameterSearch } from '../shared/slots/hyperparameter-search';
import { RecordFileError, readRecordFile } from './record-file';

export const FINAL_TEST_USAGE = `usage:
  lab final-test SEARCH.json [--trial K] [--data DIR]
      step 4 of a search: trial K (default: the best by validation accuracy) trained again on all the
      search's images and measured on the test data once; the result is kept in SEARCH.json, and asking
      again prints it instead of measuring again`;

/** `lab final-test`: step 4 of a saved search (engine/experiments/final-test.ts). Exit 2: bad usage or record. */
export async function finalTestCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { trial: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(FINAL_TEST_USAGE);
    return 0;
  }
  const file = positionals[0];
  const trial = values.trial === undefined ? undefined : Number(values.trial);
  if (positionals.length !== 1 || !file || (trial !== undefined && !(Number.isInteger(trial) && trial >= 1))) {
    console.error(FINAL_TEST_USAGE);
    return 2;
  }
  let record: RunRecord;
  try {
    record = readRecordFile(file);
  } catch (error) {
    if (!(error instanceof RecordFileError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (record.experiment !== hyperparameterSearch.id) {
    console.error(`${file} is a run of ${record.experiment}: only a hyper-parameter search has a step 4`);
    return 2;
  }
  if (record.testEvaluation) {
    console.log(`${evaluationLine(record.testEvaluation)}`);
    console.log('not measured again: the test data is looked at once, at the very end (this is the first result)');
    return 0;
  }
  if (record.status !== 'completed') {
    console.error(`${file}: the search has not completed (${record.status}): step 4 comes after steps 1 to 3`);
    return 2;
  }
  const number = trial ?? trialRows(record.series, record.summary).find((row) => row.divergedAt === undefined)?.trial;
  const chosen = number === undefined ? undefined : chosenTrial(record.series, number);
  if (!chosen) {
    console.error(`${file}: the search has no trial ${number ?? 'that did not diverge'}`);
    return 2;
  }
  await initBackend();
  const params = parseParams(hyperparameterSearch.id, record.params);
  const dataset = loadDataset(values.data ?? record.dataset ?? defaultDataDir());
  const evaluation = await evaluateOnTest(params, chosen, dataset);
  writeFileSync(file, JSON.stringify({ ...record, testEvaluation: evaluation }, null, 1) + '\n');
  console.log(evaluationLine(evaluation));
  console.log(`kept in ${file}`);
  return 0;
}

/** `step 4: trial 12 (lr 0.0061, weight decay 3.2e-7), trained on 500 images for 50 epochs: test accuracy 0.8734`. */
function evaluationLine(e: TestEvaluation): string {
  const outcome = e.testAccuracy === null ? `diverged at update ${e.divergedAt}` : `test accuracy ${e.testAccuracy}`;
  return `step 4: trial ${e.trial} (lr ${e.lr}, weight decay ${e.weightDecay}), trained on ${e.trainImages} images for ${e.epochs} epochs: ${outcome}`;
}
