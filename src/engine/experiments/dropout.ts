// Reproduces the book's ch06/overfit_dropout.py (§6.4.3, Fig. 6-22, 6-23).
import { scheduleOf } from '../../shared/lr-schedule';
import { type DropoutParams, dropoutSeries } from '../../shared/slots/dropout';
import type { ExperimentModule } from './context';
import { sgdNetMember } from './epoch-nets';
import { trainTestComparison } from './train-test-comparison';

/**
 * Without dropout (Fig. 6-22) against the chosen ratio (Fig. 6-23), one shuffled pass over the
 * training images per epoch, as the book's Trainer.
 */
export const dropout: ExperimentModule<DropoutParams> = trainTestComparison<DropoutParams>({
  setting: 'dropoutRatio',
  chosen: (params) => params.dropoutRatio,
  batches: 'shuffle',
  member: (params, dropoutRatio) =>
    sgdNetMember(params.hidden, params.lr, { dropoutRatio, schedule: scheduleOf(params) }),
  label: (ratio) => (ratio === 0 ? 'no dropout' : `dropout ${ratio}`),
  series: dropoutSeries,
  ensemble: (params) => params.ensemble,
});
