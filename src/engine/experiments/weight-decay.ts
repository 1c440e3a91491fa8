// Reproduces the book's ch06/overfit_weight_decay.py (§6.4.1, 6.4.2, Fig. 6-20, 6-21).
import { scheduleOf } from '../../shared/lr-schedule';
import { type WeightDecayParams, weightDecaySeries } from '../../shared/slots/weight-decay';
import type { ExperimentModule } from './context';
import { sgdNetMember } from './epoch-nets';
import { trainTestComparison } from './train-test-comparison';

/**
 * λ = 0 (the overfitting net of Fig. 6-20) against the chosen λ (Fig. 6-21), on the same batches drawn
 * with replacement, as overfit_weight_decay.py does.
 */
export const weightDecay: ExperimentModule<WeightDecayParams> = trainTestComparison<WeightDecayParams>({
  setting: 'lambda',
  chosen: (params) => params.lambda,
  batches: 'random',
  member: (params, lambda) =>
    sgdNetMember(params.hidden, params.lr, { init: params.init, lambda, schedule: scheduleOf(params) }),
  label: (lambda) => `λ=${lambda}`,
  series: weightDecaySeries,
});
