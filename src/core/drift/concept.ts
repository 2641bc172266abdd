import { DataError, type Column, type Table } from '../data/types';
import {
  classificationMetrics,
  detectTask,
  errorStream,
  regressionMetrics,
  type ErrorStream,
  type Task,
} from './concept/metrics';
import { BINARY_DETECTORS, DETECTOR_NAMES, runDetector, type DetectorName } from './detectors';
import { ks2samp } from './tests/ks';
import { twoProportionZ } from './tests/ztest';

/**
 * Concept drift: how the model's relation to the target moved, seen in its performance. Needs
 * a target and a prediction column on both sides: the reference's metrics are the baseline,
 * the current file's the news, and the current file's per-row error, in row order (or in the
 * order of a time column), is watched by river's streaming detectors, which say where in the
 * file the error rate changed.
 */
export interface ConceptOptions {
  target: string;
  prediction: string;
  time?: string;
  seed: number;
}

export interface ConceptReport {
  task: Task;
  reference: Record<string, number | null>;
  current: Record<string, number | null>;
  change: Record<string, number | null>;
  errorTest: {
    test: string;
    statistic: number | null;
    pValue: number;
    threshold: number;
    drift: boolean;
  };
  detectors: Array<{
    name: DetectorName;
    drift: number[];
    warning: number[];
    status: 'ok' | 'not enough rows';
    minRows: number;
  }>;
  /** The current error averaged over consecutive slices of the stream, for plotting. */
  errorCurve: { rows: number[]; values: number[] };
  rows: { reference: number; current: number };
  notes: string[];
}

const ERROR_TEST_THRESHOLD = 0.05;
const CURVE_POINTS = 200;

export function conceptDrift(reference: Table, current: Table, options: ConceptOptions) {
  const ref = roles(reference, options);
  const cur = roles(current, options);
  const task = detectTask(ref.target, ref.prediction);
  const notes: string[] = [];
  if (detectTask(cur.target, cur.prediction) !== task) {
    notes.push(
      `the current target would make this ${task === 'regression' ? 'a classification' : 'a regression'}; the reference decides: ${task}`,
    );
  }

  const refMetrics = metricsOf(task, ref.target, ref.prediction);
  const curMetrics = metricsOf(task, cur.target, cur.prediction);
  const refErrors = errorStream(ref.target, ref.prediction, task);
  const curErrors = ordered(errorStream(cur.target, cur.prediction, task), cur.time);

  return {
    task,
    reference: refMetrics,
    current: curMetrics,
    change: change(refMetrics, curMetrics),
    errorTest: errorTest(task, refErrors.errors, curErrors.errors),
    detectors: detectorsOver(task, curErrors, options.seed),
    errorCurve: curve(curErrors),
    rows: { reference: refErrors.errors.length, current: curErrors.errors.length },
    notes,
  } satisfies ConceptReport;
}

function roles(table: Table, options: ConceptOptions) {
  const find = (name: string, role: string): Column => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) {
      throw new DataError(
        `${table.path} has no ${role} column '${name}'; both files need it for concept drift`,
        { path: table.path },
      );
    }
    return column;
  };
  return {
    target: find(options.target, 'target'),
    prediction: find(options.prediction, 'prediction'),
    time: options.time ? find(options.time, 'time') : undefined,
  };
}

function metricsOf(task: Task, target: Column, prediction: Column): Record<string, number | null> {
  if (task === 'regression') {
    const m = regressionMetrics(target, prediction);
    return { mae: m.mae, rmse: m.rmse, r2: m.r2 };
  }
  const m = classificationMetrics(target, prediction);
  return {
    accuracy: m.accuracy,
    precision: m.precision,
    recall: m.recall,
    f1: m.f1,
    roc_auc: m.rocAuc,
  };
}

function change(reference: Record<string, number | null>, current: Record<string, number | null>) {
  return Object.fromEntries(
    Object.keys(reference).map((key) => {
      const r = reference[key];
      const c = current[key];
      return [key, r === null || c === null ? null : c - r];
    }),
  );
}

/**
 * Whether the error itself moved: for regression the two-sample KS test of the absolute
 * errors; for classification the two-proportion z-test of the error rates.
 */
function errorTest(task: Task, reference: Float64Array, current: Float64Array) {
  if (reference.length === 0 || current.length === 0) {
    throw new RangeError('no row has both a target and a prediction on one side');
  }
  if (task === 'regression') {
    const { statistic, pValue } = ks2samp(reference, current);
    return {
      test: 'ks',
      statistic,
      pValue,
      threshold: ERROR_TEST_THRESHOLD,
      drift: pValue <= ERROR_TEST_THRESHOLD,
    };
  }
  const wrong = (errors: Float64Array) => errors.reduce((n, e) => n + e, 0);
  const { statistic, pValue } = twoProportionZ(
    wrong(reference),
    reference.length,
    wrong(current),
    current.length,
  );
  return {
    test: 'z',
    statistic: Number.isFinite(statistic) ? statistic : null,
    pValue,
    threshold: ERROR_TEST_THRESHOLD,
    drift: pValue < ERROR_TEST_THRESHOLD,
  };
}

/** The error stream in the order of the time column (stable, missing times last). */
function ordered(stream: ErrorStream, time: Column | undefined): ErrorStream {
  if (!time) return stream;
  const key = (row: number): number | string =>
    time.type === 'number'
      ? time.values[row]
      : time.codes[row] < 0
        ? ''
        : time.dictionary[time.codes[row]];
  const missing = (value: number | string) => value === '' || Number.isNaN(value);
  const order = Array.from(stream.rows.keys()).sort((a, b) => {
    const ka = key(stream.rows[a]);
    const kb = key(stream.rows[b]);
    if (missing(ka) || missing(kb)) return Number(missing(ka)) - Number(missing(kb)) || a - b;
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  });
  return {
    task: stream.task,
    errors: Float64Array.from(order, (i) => stream.errors[i]),
    rows: Int32Array.from(order, (i) => stream.rows[i]),
  };
}

function detectorsOver(task: Task, stream: ErrorStream, seed: number) {
  const names = DETECTOR_NAMES.filter(
    (name) => task === 'classification' || !BINARY_DETECTORS.has(name),
  );
  return names.map((name) => {
    const options = name === 'KSWIN' ? { seed } : {};
    const run = runDetector(name, stream.errors, options);
    // Positions in the stream become the file's data rows, counted from 0.
    const toRows = (positions: number[]) => positions.map((p) => stream.rows[p]);
    return {
      name,
      drift: toRows(run.drift),
      warning: toRows(run.warning),
      status: run.status,
      minRows: run.minRows,
    };
  });
}

function curve(stream: ErrorStream) {
  const n = stream.errors.length;
  const slices = Math.min(CURVE_POINTS, n);
  const rows: number[] = [];
  const values: number[] = [];
  for (let s = 0; s < slices; s++) {
    const start = Math.floor((s * n) / slices);
    const end = Math.floor(((s + 1) * n) / slices);
    let total = 0;
    for (let i = start; i < end; i++) total += stream.errors[i];
    rows.push(stream.rows[start]);
    values.push(total / (end - start));
  }
  return { rows, values };
}
