import path from 'node:path';
import { checkDrift } from '../../../src/core/drift/check';
import { reportJson } from '../../../src/core/drift/report';
import type { DriftMeta } from '../../../src/protocol/drift';

/**
 * Reports for the drift panel's tests: one the engine makes from the churn example (so the panel's
 * schemas are checked against what the engine really writes), and one written by hand with what
 * the example lacks: a regression, a skipped text column, nulls where the engine gives no finite
 * score, a correction, columns on one side only, and names that would be markup if not text.
 */
const churn = path.join(__dirname, '../../../examples/churn/data');

let churnJson: Promise<Record<string, unknown>> | undefined;

export function churnReport(): Promise<Record<string, unknown>> {
  churnJson ??= checkDrift({
    reference: path.join(churn, 'reference.csv'),
    current: path.join(churn, 'current.csv'),
    options: { target: 'churned', prediction: 'prediction', seed: 7 },
  }).then(reportJson);
  return churnJson;
}

export const meta = (overrides: Partial<DriftMeta> = {}): DriftMeta => ({
  checkId: 'check-1',
  title: 'Drift: current.csv',
  referenceLabel: 'data/reference.csv',
  currentLabel: 'data/current.csv',
  stale: null,
  canRetrain: true,
  ...overrides,
});

const counts = (count: number, missing = 0) => ({ count, missing, infinite: 0, distinct: count });

export const hostileName = '<img src=x onerror=alert(1)>';

export function handReport() {
  return {
    reference: { path: '/work/data/ref.parquet', rows: 500, format: 'parquet', columns: 4 },
    current: { path: '/work/data/cur.parquet', rows: 400, format: 'parquet', columns: 4 },
    columns: [
      {
        column: 'price',
        kind: 'numerical',
        status: 'tested',
        test: 'ks',
        test_name: 'Kolmogorov-Smirnov',
        statistic: 0.08,
        p_value: 0.2,
        threshold: 0.025,
        operator: '<',
        drift: false,
        reference: counts(490, 10),
        current: counts(400),
        histogram: { edges: [0, 1, 2, 4], reference: [100, 200, 190], current: [40, 160, 200] },
        notes: [],
      },
      {
        column: hostileName,
        kind: 'categorical',
        status: 'tested',
        test: 'chisquare',
        test_name: 'chi-square',
        statistic: null,
        p_value: 0.001,
        threshold: 0.025,
        operator: '<',
        drift: true,
        reference: counts(500),
        current: counts(400),
        histogram: {
          categories: ['a', '<b>', '(other)'],
          reference: [300, 150, 50],
          current: [100, 100, 200],
        },
        notes: ['the statistic was not finite'],
      },
      {
        column: 'comment',
        kind: 'text',
        status: 'skipped',
        test: null,
        test_name: null,
        statistic: null,
        p_value: null,
        threshold: null,
        operator: null,
        drift: false,
        reference: counts(500),
        current: counts(400),
        histogram: null,
        notes: ['text columns are not compared'],
      },
    ],
    dataset: {
      drift: true,
      drifted: 1,
      total: 2,
      share: 0.5,
      drift_share: 0.5,
      correction: { method: 'bonferroni', alpha: 0.05, tests: 2 },
    },
    missing_columns: { reference: ['only_old'], current: [] },
    options: { target: 'y', prediction: 'y_hat' },
    notes: ['the current file has fewer rows'],
    multivariate: {
      test: 'mmd',
      status: 'not enough rows',
      columns: ['price'],
      statistic: null,
      p_value: null,
      threshold: 0.05,
      drift: false,
      rows_used: { reference: 1, current: 0 },
      permutations: 100,
      sigma: null,
    },
    concept: {
      task: 'regression',
      reference: { mae: 1.5, rmse: 2, r2: 0.8 },
      current: { mae: 2.5, rmse: 3, r2: null },
      change: { mae: 1, rmse: 1, r2: null },
      error_test: { test: 'ks', statistic: 0.3, p_value: 0.0001, threshold: 0.05, drift: true },
      detectors: [
        { name: 'ADWIN', drift: [120, 300], warning: [], status: 'ok', min_rows: 32 },
        { name: 'KSWIN', drift: [], warning: [], status: 'not enough rows', min_rows: 100 },
      ],
      error_curve: { rows: [0, 100, 200, 300], values: [1, 1.2, 2.4, 2.6] },
      rows: { reference: 500, current: 400 },
      notes: [],
    },
  };
}
