import type { TrialHyperparameters } from '../../shared/book-format';
import { scheduleOf } from '../../shared/lr-schedule';
import { defaultOptimizer } from '../../shared/optimizers';
import { searchedHidden } from '../../shared/searchable';
import type { HyperparameterSearchParams } from '../../shared/slots/hyperparameter-search';
import type { EpochNetMember } from './types';

/**
 * A search trial's net: the book's MultiLayerNet (ReLU, He init, SGD, no Batch Norm, no dropout, the
 * search's hidden layers) with the trial's learning rate and weight decay, and whatever else the trial
 * searched (`searchAlso`: shared/searchable.ts) in place of the book's choice. The optimizer searched
 * keeps its defaults but for the trial's learning rate.
 */
export function trialMember(
  params: HyperparameterSearchParams,
  { lr, weightDecay, also = {} }: TrialHyperparameters,
  settings: Partial<EpochNetMember> = {},
): EpochNetMember {
  return {
    hidden: searchedHidden(params.hidden, also),
    activation: also.activation ?? 'relu',
    init: also.init ?? 'he',
    lambda: weightDecay,
    useBatchNorm: also.batchNorm ?? false,
    dropoutRatio: also.dropoutRatio ?? 0,
    optimizer: { ...defaultOptimizer(also.optimizer ?? 'SGD'), lr },
    schedule: scheduleOf(params),
    ...settings,
  };
}
