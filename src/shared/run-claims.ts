import type { InsideSpread } from './inside';
import { defaultParams, isExperimentId, slotOf, typedParams } from './experiments';
import { changedParams, describeChanges } from './param-diff';
import type { ClaimOutcome, Series } from './runs';
import type { ClaimResult, Locale } from './slots/slot';

/** A slot's claim checked on one run: its text and its result (null: the run cannot say). */
export interface CheckedClaim {
  id: string;
  text: Record<Locale, string>;
  result: ClaimResult | null;
}

/** What claims read of a run: a record or a live run's points, with raw (unvalidated) parameters. */
export interface ClaimInput {
  experiment: string;
  series: readonly Series[];
  summary?: Record<string, unknown> | null;
  params?: Record<string, unknown> | null;
  inside?: InsideSpread | null;
}

/**
 * The book's claims of a run's experiment, each checked on the run through its slot (the same for a
 * live run, a record, `lab run` and the tests). An experiment this version does not know has none; a
 * claim that fails on odd data cannot say.
 */
export function checkClaims(run: ClaimInput): CheckedClaim[] {
  if (!isExperimentId(run.experiment)) return [];
  const id = run.experiment;
  const params = typedParams(id, run.params);
  const input = { series: run.series, summary: run.summary ?? {}, params, inside: run.inside ?? null };
  const fromBook = (slotOf(id).claimSource ?? 'book') === 'book';
  const changes =
    params && fromBook ? describeChanges(changedParams(params as Record<string, unknown>, defaultParams(id))) : '';
  return slotOf(id).claims.map((claim) => {
    let result: ClaimResult | null;
    try {
      result = claim.check(input);
    } catch {
      result = null;
    }
    return { id: claim.id, text: claim.text, result: result && !result.holds ? withSettings(result, changes) : result };
  });
}

/** A claim that does not hold on a run with other settings than the book's says so, naming them. */
function withSettings(result: ClaimResult, changes: string): ClaimResult {
  if (!changes) return result;
  return {
    holds: false,
    detail: {
      en: `${result.detail.en}; this run's settings differ from the book's: ${changes}`,
      'zh-CN': `${result.detail['zh-CN']}；本次运行的设置与书中不同：${changes}`,
    },
  };
}

/** The checked claims as the run record keeps them: those the run could say, with the English numbers. */
export const claimOutcomes = (checked: readonly CheckedClaim[]): ClaimOutcome[] =>
  checked.flatMap(({ id, result }) => (result ? [{ id, holds: result.holds, detail: result.detail.en }] : []));

/** `claim: std 0.01 does not learn: holds (loss 2.30 after 2,000 iterations)`, as `lab run` prints it. */
export function claimLine({ text, result }: CheckedClaim): string {
  if (!result) return `claim: ${text.en}: the run cannot say`;
  return `claim: ${text.en}: ${result.holds ? 'holds' : 'does not hold'} (${result.detail.en})`;
}
