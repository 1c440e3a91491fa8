import { count, fixed, inBoth, verdict } from '../claims';
import { lastFinite } from '../last-value';
import type { Series } from '../runs';
import { smoothCurve } from '../smooth';
import type { Claim, KeyResult } from './slot';
import { measuredEvaluation, repeatsOf, variantNames } from './workbench-figures';
import type { WorkbenchParams } from './workbench-params';

/*
 * The workbench's checks: claims that need no book, read off any run. A net that diverged (where, and
 * the loss it passed), a variant that overfits, and whether the best variant's lead is larger than
 * what its seeds scatter.
 */

/** Train minus evaluation accuracy above this at the end: the variant overfits. */
export const OVERFITTING_GAP = 0.1;

/** A short number in claims: 1.2e+5 for a big loss, 0.43 for an ordinary one. */
const short = (value: number): string => (Math.abs(value) >= 1e4 ? value.toExponential(1) : fixed(value));

/** Each seed's final score of a variant: evaluation accuracy (higher is better) or smoothed loss (lower). */
interface VariantScore {
  variant: string;
  values: number[];
  mean: number;
  min: number;
  max: number;
}

function scoreOf(variant: string, values: number[]): VariantScore | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { variant, values, mean, min: Math.min(...values), max: Math.max(...values) };
}

/** Final values per variant: its evaluation accuracies when measured, else its smoothed losses. */
function finalScores(series: readonly Series[], params: WorkbenchParams | null) {
  const evaluation = measuredEvaluation(series, params);
  const metric = evaluation ?? 'loss';
  const finals = (variant: string) =>
    repeatsOf(series, variant, metric).flatMap((s) => {
      if (s.divergedAt !== undefined) return [];
      const value = lastFinite(metric === 'loss' ? smoothCurve(s.y) : s.y);
      return value === null ? [] : [value];
    });
  const scores = variantNames(series, params).flatMap((v) => scoreOf(v, finals(v)) ?? []);
  return { scores, higherIsBetter: evaluation !== null, metric };
}

export const workbenchChecks: Claim<WorkbenchParams>[] = [
  {
    id: 'no-divergence',
    text: inBoth(
      'Every net trains without diverging (its loss stays finite)',
      '所有网络的学习都没有发散（损失函数值保持有限）',
    ),
    check: ({ series }) => {
      const losses = series.filter((s) => s.metric === 'loss');
      if (losses.length === 0) return null;
      const diverged = losses.filter((s) => s.divergedAt !== undefined);
      if (diverged.length === 0) {
        const highest = Math.max(...losses.map((s) => Math.max(...s.y.filter(Number.isFinite))));
        return verdict(
          true,
          `${count(losses.length)} nets, highest loss ${short(highest)}`,
          `${count(losses.length)} 个网络，最大损失函数值 ${short(highest)}`,
        );
      }
      const lines = diverged.map((s) => {
        const passed = lastFinite(s.y);
        return {
          en: `${s.name}: the loss ${passed === null ? 'was' : `passed ${short(passed)} and became`} not finite at iteration ${count(s.divergedAt!)}`,
          zh: `${s.name}：损失函数值${passed === null ? '' : `超过 ${short(passed)} 后`}在第 ${count(s.divergedAt!)} 次迭代变为非有限值`,
        };
      });
      const hint = inBoth(
        ' (the usual causes: a learning rate too large for this net, or starting weights too large, such as std 1)',
        '（常见原因：学习率对这个网络来说太大，或初始权重太大，例如标准差为 1）',
      );
      return verdict(
        false,
        lines.map((l) => l.en).join('; ') + hint.en,
        lines.map((l) => l.zh).join('；') + hint['zh-CN'],
      );
    },
  },
  {
    id: 'no-overfitting',
    text: inBoth(
      `No variant overfits: at the end its train accuracy exceeds the evaluation accuracy by at most ${OVERFITTING_GAP}`,
      `没有变体过拟合：最后训练精度比评估精度高出不超过 ${OVERFITTING_GAP}`,
    ),
    check: ({ series, params }) => {
      const evaluation = measuredEvaluation(series, params);
      if (evaluation === null) return null;
      const gaps = variantNames(series, params).flatMap((variant) => {
        const train = repeatsOf(series, variant, 'train accuracy');
        const other = repeatsOf(series, variant, evaluation);
        const each = train.flatMap((t) => {
          const e = other.find((o) => o.key.replicate === t.key.replicate);
          const [a, b] = [lastFinite(t.y), e ? lastFinite(e.y) : null];
          return a === null || b === null || t.y.length < 2 ? [] : [a - b];
        });
        return each.length > 0 ? [{ variant, gap: each.reduce((x, y) => x + y, 0) / each.length }] : [];
      });
      if (gaps.length === 0) return null;
      const list = (sep: string) => gaps.map((g) => `${g.variant} ${fixed(g.gap)}`).join(sep);
      return verdict(
        gaps.every((g) => g.gap <= OVERFITTING_GAP),
        `final gap (mean over seeds): ${list(', ')}`,
        `最后的差距（各种子的平均）：${list('，')}`,
      );
    },
  },
  {
    id: 'best-beyond-spread',
    text: inBoth(
      'The best variant’s lead is larger than the seeds’ spread (its worst seed beats the runner-up’s best)',
      '最好的变体的领先幅度大于种子间的波动（它最差的种子也胜过第二名最好的种子）',
    ),
    check: ({ series, params }) => {
      const { scores, higherIsBetter, metric } = finalScores(series, params);
      if (scores.length < 2 || scores.some((s) => s.values.length < 2)) return null;
      const ranked = [...scores].sort((a, b) => (higherIsBetter ? b.mean - a.mean : a.mean - b.mean));
      const [best, second] = [ranked[0]!, ranked[1]!];
      const beyond = higherIsBetter ? best.min > second.max : best.max < second.min;
      const range = (s: VariantScore) => `${fixed(s.mean, 3)} [${fixed(s.min, 3)}, ${fixed(s.max, 3)}]`;
      const what = metric === 'loss' ? inBoth('smoothed loss', '平滑后的损失函数值') : inBoth(metric, metric);
      return verdict(
        beyond,
        `${what.en}, mean [lowest, highest seed]: ${best.variant} ${range(best)}, ${second.variant} ${range(second)}`,
        `${what['zh-CN']}，平均 [最低, 最高种子]：${best.variant} ${range(best)}，${second.variant} ${range(second)}`,
      );
    },
  },
];

/** Per variant, its final score's mean over the seeds: evaluation accuracy, or smoothed loss without one. */
export function workbenchKeyResults(series: readonly Series[]): KeyResult[] {
  const { scores, metric } = finalScores(series, null);
  return scores.map((s) => ({ label: `${s.variant} ${metric}`, value: s.mean }));
}
