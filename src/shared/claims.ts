import type { Series } from './runs';
import type { SeriesKey } from './series';
import type { Claim, ClaimResult, Locale } from './slots/slot';
import { smoothCurve } from './smooth';

/**
 * Building blocks of the slots' claims (the book's statements about each figure, checked on a run):
 * selecting series by key, the numbers they read (final smoothed loss, mean of the last epochs) and
 * the verdict with its numbers in every language.
 */

/** The loss of a net that has learned nothing: softmax over 10 classes, ln 10 = 2.30. */
export const CHANCE_LOSS = Math.log(10);

/** A number as the claims print it: fixed digits ("2.30"). */
export const fixed = (value: number, digits = 2): string => value.toFixed(digits);
/** A count with thousands separators ("2,000"), the same in both languages. */
export const count = (value: number): string => value.toLocaleString('en-US');

/** The same text in every language. */
export const inBoth = (en: string, zh: string): Record<Locale, string> => ({ en, 'zh-CN': zh });

/** A verdict with its numbers in both languages. */
export const verdict = (holds: boolean, en: string, zh: string): ClaimResult => ({ holds, detail: inBoth(en, zh) });

/** The series whose key matches `where` (every field given must be equal), of `metric` when given. */
export function seriesWhere(
  series: readonly Series[],
  where: Partial<SeriesKey>,
  metric?: Series['metric'],
): Series | undefined {
  return series.find(
    (s) =>
      (metric === undefined || s.metric === metric) &&
      Object.entries(where).every(([field, value]) => s.key[field as keyof SeriesKey] === value),
  );
}

/** The last point of the book's smoothed curve (null before the first point). */
export const finalSmoothed = (series: Series | undefined): number | null =>
  series ? (smoothCurve(series.y).at(-1) ?? null) : null;

/** The mean of the last `n` values (all of them when fewer). */
export function meanOfLast(values: readonly number[], n: number): number {
  const tail = values.slice(-n);
  return tail.reduce((sum, v) => sum + v, 0) / tail.length;
}

/** Loss curves shorter than this cannot say how a net learns. */
export const MIN_LOSS_POINTS = 20;

/** Epochs the train/test claims average over, and the epochs a run needs before they can say anything. */
export const LAST_EPOCHS = 5;
const MIN_EPOCH_POINTS = LAST_EPOCHS + 1;

/** How a train/test comparison (weight decay, dropout) names its compared value in both languages. */
export interface TrainTestTerms {
  /** The compared value of a series (λ, dropout ratio); 0 is the plain net. */
  valueOf: (key: SeriesKey) => number | undefined;
  /** `λ=0.1`, `dropout 0.2` / `Dropout 0.2`. */
  label: (value: number) => Record<Locale, string>;
  /** What the regularisation is called: "weight decay" / "权值衰减". */
  name: Record<Locale, string>;
}

interface TrainTestNet {
  value: number;
  train: number;
  test: number;
  gap: number;
  epochs: number;
}

/** Each net's train and test accuracy over its last epochs, the plain one (value 0) first; null when too short. */
function trainTestNets(series: readonly Series[], terms: TrainTestTerms): TrainTestNet[] | null {
  const values = [...new Set(series.map((s) => terms.valueOf(s.key)).filter((v): v is number => v !== undefined))];
  const nets: TrainTestNet[] = [];
  for (const value of values.sort((a, b) => a - b)) {
    const split = (name: 'train' | 'test') =>
      series.find((s) => terms.valueOf(s.key) === value && s.key.split === name);
    const [train, test] = [split('train'), split('test')];
    if (!train || !test || train.y.length < MIN_EPOCH_POINTS || test.y.length < MIN_EPOCH_POINTS) return null;
    const [trainAcc, testAcc] = [meanOfLast(train.y, LAST_EPOCHS), meanOfLast(test.y, LAST_EPOCHS)];
    nets.push({ value, train: trainAcc, test: testAcc, gap: trainAcc - testAcc, epochs: train.y.length - 1 });
  }
  return nets;
}

const lastEpochs = inBoth(`mean of the last ${LAST_EPOCHS} epochs`, `最后 ${LAST_EPOCHS} 个 epoch 的平均`);

/**
 * The book's claims of an overfitting comparison (Fig. 6-20 to 6-23): the plain net overfits (train
 * accuracy about 1.0, test far lower), the regularised one leaves a smaller train-test gap, and its train
 * accuracy no longer reaches 1.0. All over the last five epochs; null before six epochs or without both
 * nets.
 */
export function trainTestClaims(terms: TrainTestTerms): Claim[] {
  const pair = (series: readonly Series[]) => {
    const nets = trainTestNets(series, terms);
    const plain = nets?.find((n) => n.value === 0);
    const regularised = nets?.filter((n) => n.value !== 0) ?? [];
    return plain && regularised.length > 0 ? { plain, regularised } : null;
  };
  const netText = (net: TrainTestNet, en: string, zh: string) =>
    inBoth(`${terms.label(net.value).en} ${en}`, `${terms.label(net.value)['zh-CN']} ${zh}`);
  return [
    {
      id: 'plain-overfits',
      text: inBoth(
        `Without ${terms.name.en} the net overfits: train accuracy reaches about 1.0 while test accuracy stays far lower`,
        `不使用${terms.name['zh-CN']}时发生过拟合：训练数据的识别精度接近 1.0，测试数据的识别精度则低得多`,
      ),
      check: ({ series }) => {
        const both = pair(series);
        if (!both) return null;
        const { plain } = both;
        const d = netText(
          plain,
          `train ${fixed(plain.train)}, test ${fixed(plain.test)}, gap ${fixed(plain.gap)} (${lastEpochs.en}, ${count(plain.epochs)} epochs)`,
          `训练 ${fixed(plain.train)}，测试 ${fixed(plain.test)}，差距 ${fixed(plain.gap)}（${lastEpochs['zh-CN']}，共 ${count(plain.epochs)} 个 epoch）`,
        );
        return { holds: plain.train > 0.97 && plain.gap > 0.15, detail: d };
      },
    },
    {
      id: 'narrower-gap',
      text: inBoth(
        `With ${terms.name.en} the gap between train and test accuracy is smaller than without`,
        `使用${terms.name['zh-CN']}后，训练数据与测试数据的识别精度之间的差距比不使用时小`,
      ),
      check: ({ series }) => {
        const both = pair(series);
        if (!both) return null;
        const nets = [both.plain, ...both.regularised];
        const gaps = (zh: boolean) =>
          nets.map((n) => `${terms.label(n.value)[zh ? 'zh-CN' : 'en']}: ${fixed(n.gap)}`).join(zh ? '，' : ', ');
        return verdict(
          both.regularised.every((n) => n.gap < both.plain.gap),
          `gap ${gaps(false)} (${lastEpochs.en})`,
          `差距 ${gaps(true)}（${lastEpochs['zh-CN']}）`,
        );
      },
    },
    {
      id: 'train-below-one',
      text: inBoth(
        `With ${terms.name.en} train accuracy no longer reaches 1.0`,
        `使用${terms.name['zh-CN']}后，训练数据的识别精度不再达到 1.0`,
      ),
      check: ({ series }) => {
        const both = pair(series);
        if (!both) return null;
        const accs = (zh: boolean) =>
          both.regularised.map((n) => `${terms.label(n.value)[zh ? 'zh-CN' : 'en']}: ${fixed(n.train)}`).join(', ');
        return verdict(
          both.regularised.every((n) => n.train < 0.95),
          `train accuracy ${accs(false)} (${lastEpochs.en})`,
          `训练数据的识别精度 ${accs(true)}（${lastEpochs['zh-CN']}）`,
        );
      },
    },
  ];
}
