import { z } from 'zod';
import type { SeriesKey } from './series';
import { searchedValuesOf, searchedValuesSchema } from './searchable';

/*
 * Step 4 of the hyper-parameter search (§6.5.3): the chosen trial's learning rate and weight decay,
 * trained again on all the search's images (its training and validation images together) and measured
 * on the test images once. The search's record keeps the result (`testEvaluation`); a second request
 * gets it back instead of a second look at the test data, which would make the test images one more
 * validation set.
 */

export const testEvaluationSchema = z.object({
  /** The chosen trial (1-based) and its values. */
  trial: z.int().min(1),
  lr: z.number().gt(0),
  weightDecay: z.number().min(0),
  also: searchedValuesSchema.optional(),
  /** The images it trained on (the search's training plus validation images) and for how many epochs. */
  trainImages: z.int().min(1),
  epochs: z.int().min(1),
  /** Its accuracy on the test images, measured once; null when it diverged. */
  testAccuracy: z.number().nullable(),
  /** The update at which its loss became NaN or infinite, when it did. */
  divergedAt: z.int().min(0).optional(),
  evaluatedAt: z.string(),
});
export type TestEvaluation = z.output<typeof testEvaluationSchema>;

/** What the lab answers a request for step 4: the evaluation, and whether it was measured before. */
export interface TestEvaluationReply {
  evaluation: TestEvaluation;
  /** True when the search had been evaluated already: the first result, not measured again. */
  repeated: boolean;
}

/** The trial a request names, with the values it sampled. */
export const chosenTrialSchema = z.object({
  trial: z.int().min(1),
  lr: z.number().gt(0),
  weightDecay: z.number().min(0),
  /** What else it searched (`searchAlso`), when it did. */
  also: searchedValuesSchema.optional(),
});
export type ChosenTrial = z.output<typeof chosenTrialSchema>;

/** A search's trial as its series' keys name it: its number and sampled values (undefined: no such trial). */
export function chosenTrial(series: readonly { key: SeriesKey }[], trial: number): ChosenTrial | undefined {
  const key = series.find((s) => s.key.trial === trial)?.key;
  if (key?.lr === undefined || key.weightDecay === undefined) return undefined;
  const also = searchedValuesOf(key);
  return { trial, lr: key.lr, weightDecay: key.weightDecay, ...(also ? { also } : {}) };
}
