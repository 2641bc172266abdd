import {
  checkPair,
  describe,
  distinctNumbers,
  encodeLabels,
  pairedRows,
  type Label,
  type PerformanceColumn,
} from './labels';

export type { Label, PerformanceColumn } from './labels';

export type Task = 'classification' | 'regression';

/** Evidently's rule: a numeric target with more than this many distinct values is regression. */
export const MAX_CLASSES = 5;

export interface ClassificationMetrics {
  task: 'classification';
  /** Rows where both target and prediction have a value; the others are left out. */
  rows: number;
  /** Every label seen in either column, sorted as scikit-learn sorts them. */
  labels: Label[];
  /** 'binary' with at most two labels, scored for `positiveLabel`; else the macro average. */
  average: 'binary' | 'macro';
  positiveLabel: Label | null;
  /** True when the prediction held scores in [0, 1], turned into labels by score >= 0.5. */
  scores: boolean;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Only for scores with both classes present in the target; null otherwise. */
  rocAuc: number | null;
}

export interface RegressionMetrics {
  task: 'regression';
  rows: number;
  mae: number | null;
  rmse: number | null;
  /** scikit-learn's r2_score; null below two rows, where scikit-learn returns NaN. */
  r2: number | null;
}

export interface ErrorStream {
  task: Task;
  /** Per row: 1 wrong / 0 right for classification, |target - prediction| for regression. */
  errors: Float64Array;
  /** The file row each error came from, so a detector's positions map back to rows. */
  rows: Int32Array;
}

/**
 * Classification or regression, by Evidently's rule for target and prediction columns: text
 * targets, and numeric targets with at most five distinct values, are class labels; a numeric
 * target with more is a regression target. Throws a RangeError when the two columns are not of
 * the same kind (numbers against text), naming both.
 */
export function detectTask(target: PerformanceColumn, prediction: PerformanceColumn): Task {
  checkPair(target, prediction);
  if (target.type === 'string') return 'classification';

  const distinct = new Set<number>();
  const values = target.values;
  for (let row = 0; row < values.length && distinct.size <= MAX_CLASSES; row++) {
    if (Number.isFinite(values[row])) distinct.add(values[row]);
  }
  return distinct.size > MAX_CLASSES ? 'regression' : 'classification';
}

/** Accuracy, precision, recall, F1 and, for scores, ROC AUC, as scikit-learn computes them. */
export function classificationMetrics(
  target: PerformanceColumn,
  prediction: PerformanceColumn,
): ClassificationMetrics {
  checkPair(target, prediction);
  const rows = pairedRows(target, prediction);
  const scores = holdsScores(target, prediction, rows);

  const encoded = encodeLabels(target, prediction, rows, scores);
  const counts = confusionCounts(encoded.truth, encoded.predicted, encoded.labels.length);
  const binary = encoded.labels.length <= 2;
  const positive = binary ? positiveLabel(encoded.labels) : null;
  const averaged = binary
    ? scoresFor(counts, encoded.labels.indexOf(positive!))
    : macroAverage(counts, encoded.labels.length);

  return {
    task: 'classification',
    rows: rows.length,
    labels: encoded.labels,
    average: binary ? 'binary' : 'macro',
    positiveLabel: positive,
    scores,
    accuracy: rows.length === 0 ? null : counts.correct / rows.length,
    ...(rows.length === 0 ? { precision: null, recall: null, f1: null } : averaged),
    rocAuc: scores ? rocAuc(target, prediction, rows) : null,
  };
}

/** MAE, RMSE and R², as scikit-learn's mean_absolute_error, root of mean_squared_error, r2_score. */
export function regressionMetrics(
  target: PerformanceColumn,
  prediction: PerformanceColumn,
): RegressionMetrics {
  checkPair(target, prediction);
  if (target.type !== 'number' || prediction.type !== 'number') {
    throw new RangeError(`${describe(target, 'target')}; regression needs numbers`);
  }
  const rows = pairedRows(target, prediction);
  const n = rows.length;
  if (n === 0) return { task: 'regression', rows: 0, mae: null, rmse: null, r2: null };

  const sums = errorSums(target.values, prediction.values, rows);
  return {
    task: 'regression',
    rows: n,
    mae: sums.absolute / n,
    rmse: Math.sqrt(sums.squared / n),
    r2: r2(sums.squared, sums.spread, n),
  };
}

/** Sums of absolute and squared errors, and of squared deviations of the target from its mean. */
function errorSums(actual: Float64Array, predicted: Float64Array, rows: Int32Array) {
  // The mean is taken about the first value, so a constant target has exactly zero spread.
  const origin = actual[rows[0]];
  let shifted = 0;
  for (let i = 0; i < rows.length; i++) shifted += actual[rows[i]] - origin;
  const mean = origin + shifted / rows.length;

  const sums = { absolute: 0, squared: 0, spread: 0 };
  for (let i = 0; i < rows.length; i++) {
    const y = actual[rows[i]];
    const error = y - predicted[rows[i]];
    sums.absolute += Math.abs(error);
    sums.squared += error * error;
    sums.spread += (y - mean) * (y - mean);
  }
  return sums;
}

/** scikit-learn's r2_score with force_finite: a constant target gives 1 if fitted exactly, else 0. */
function r2(residual: number, spread: number, rows: number): number | null {
  if (rows < 2) return null;
  if (spread === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / spread;
}

/** The metrics of the task the columns call for (see detectTask). */
export function performanceMetrics(
  target: PerformanceColumn,
  prediction: PerformanceColumn,
): ClassificationMetrics | RegressionMetrics {
  return detectTask(target, prediction) === 'regression'
    ? regressionMetrics(target, prediction)
    : classificationMetrics(target, prediction);
}

/**
 * The per-row error a streaming detector watches, in row order. Rows where either column is
 * missing are skipped, and `rows` keeps the file row of each error that remains.
 */
export function errorStream(
  target: PerformanceColumn,
  prediction: PerformanceColumn,
  task: Task = detectTask(target, prediction),
): ErrorStream {
  checkPair(target, prediction);
  const rows = pairedRows(target, prediction);
  const errors = new Float64Array(rows.length);

  if (task === 'regression') {
    if (target.type !== 'number' || prediction.type !== 'number') {
      throw new RangeError(`${describe(target, 'target')}; regression needs numbers`);
    }
    for (let i = 0; i < rows.length; i++) {
      errors[i] = Math.abs(target.values[rows[i]] - prediction.values[rows[i]]);
    }
    return { task, errors, rows };
  }

  const encoded = encodeLabels(target, prediction, rows, holdsScores(target, prediction, rows));
  for (let i = 0; i < rows.length; i++)
    errors[i] = encoded.truth[i] === encoded.predicted[i] ? 0 : 1;
  return { task, errors, rows };
}

/**
 * True when a numeric prediction is a score for a 0/1 target: every value lies in [0, 1] and
 * some value is not a label. Any other prediction with fractional values is refused, as
 * scikit-learn refuses "a mix of binary and continuous targets".
 */
function holdsScores(
  target: PerformanceColumn,
  prediction: PerformanceColumn,
  rows: Int32Array,
): boolean {
  if (target.type !== 'number' || prediction.type !== 'number') return false;

  let fractional = false;
  let inUnit = true;
  for (let i = 0; i < rows.length; i++) {
    const value = prediction.values[rows[i]];
    if (!Number.isInteger(value)) fractional = true;
    if (value < 0 || value > 1) inUnit = false;
  }
  if (!fractional) return false;

  const zeroOne = distinctNumbers(target.values, rows, 3).every((v) => v === 0 || v === 1);
  if (zeroOne && inUnit) return true;
  throw new RangeError(
    `${describe(prediction, 'prediction')} with fractional values, neither class labels nor ` +
      `scores in [0, 1] for a 0/1 target, while ${describe(target, 'target')} with at most ` +
      `${MAX_CLASSES} distinct values, which makes the task classification`,
  );
}

interface ConfusionCounts {
  correct: number;
  /** Per label: rows predicted as it and right. */
  truePositive: Float64Array;
  /** Per label: rows predicted as it. */
  predicted: Float64Array;
  /** Per label: rows that truly are it. */
  actual: Float64Array;
}

function confusionCounts(
  truth: Int32Array,
  predicted: Int32Array,
  labels: number,
): ConfusionCounts {
  const counts = {
    correct: 0,
    truePositive: new Float64Array(labels),
    predicted: new Float64Array(labels),
    actual: new Float64Array(labels),
  };
  for (let i = 0; i < truth.length; i++) {
    counts.actual[truth[i]]++;
    counts.predicted[predicted[i]]++;
    if (truth[i] === predicted[i]) {
      counts.correct++;
      counts.truePositive[truth[i]]++;
    }
  }
  return counts;
}

/** scikit-learn's default pos_label=1 for 0/1 labels; otherwise the larger of the two labels. */
function positiveLabel(labels: Label[]): Label {
  if (labels.every((label) => label === 0 || label === 1)) return 1;
  return labels[labels.length - 1];
}

/** Precision, recall and F1 of one label; an undefined ratio is 0, scikit-learn's default. */
function scoresFor(counts: ConfusionCounts, label: number) {
  if (label < 0) return { precision: 0, recall: 0, f1: 0 };
  const tp = counts.truePositive[label];
  const falsePositive = counts.predicted[label] - tp;
  const falseNegative = counts.actual[label] - tp;
  const ratio = (top: number, bottom: number) => (bottom === 0 ? 0 : top / bottom);
  return {
    precision: ratio(tp, tp + falsePositive),
    recall: ratio(tp, tp + falseNegative),
    f1: ratio(2 * tp, 2 * tp + falsePositive + falseNegative),
  };
}

function macroAverage(counts: ConfusionCounts, labels: number) {
  const total = { precision: 0, recall: 0, f1: 0 };
  for (let label = 0; label < labels; label++) {
    const one = scoresFor(counts, label);
    total.precision += one.precision;
    total.recall += one.recall;
    total.f1 += one.f1;
  }
  return {
    precision: total.precision / labels,
    recall: total.recall / labels,
    f1: total.f1 / labels,
  };
}

/**
 * scikit-learn's roc_auc_score for a 0/1 target and scores: the chance that a random positive
 * scores above a random negative, a tie counting one half (the trapezoid over tied scores).
 * null when the target holds only one class, where scikit-learn raises.
 */
function rocAuc(target: PerformanceColumn, prediction: PerformanceColumn, rows: Int32Array) {
  if (target.type !== 'number' || prediction.type !== 'number') return null;
  let positiveCount = 0;
  for (let i = 0; i < rows.length; i++) if (target.values[rows[i]] === 1) positiveCount++;
  if (positiveCount === 0 || positiveCount === rows.length) return null;

  const pos = new Float64Array(positiveCount);
  const neg = new Float64Array(rows.length - positiveCount);
  for (let i = 0, p = 0, q = 0; i < rows.length; i++) {
    const score = prediction.values[rows[i]];
    if (target.values[rows[i]] === 1) pos[p++] = score;
    else neg[q++] = score;
  }
  return orderedPairs(pos.sort(), neg.sort()) / (pos.length * neg.length);
}

/** Pairs (positive, negative) with the positive scored higher, a tie counting one half. */
function orderedPairs(positives: Float64Array, negatives: Float64Array): number {
  let twice = 0;
  let below = 0;
  let notAbove = 0;
  for (let i = 0; i < positives.length; i++) {
    while (below < negatives.length && negatives[below] < positives[i]) below++;
    while (notAbove < negatives.length && negatives[notAbove] <= positives[i]) notAbove++;
    twice += below + notAbove;
  }
  return twice / 2;
}
