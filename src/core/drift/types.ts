import type { ConceptReport } from './concept';

/**
 * The drift report's shapes. The JSON the CLI prints (DESIGN.md, "The CLI contract") is these
 * objects with snake_case keys; report.ts does that conversion in one place.
 */
export type StatTestName =
  | 'ks'
  | 'chisquare'
  | 'z'
  | 'wasserstein'
  | 'psi'
  | 'jensenshannon'
  | 'kl_div'
  | 'hellinger'
  | 'anderson'
  | 'cramer_von_mises'
  | 'ed'
  | 'es'
  | 'fisher_exact'
  | 'g_test'
  | 'mannw'
  | 't_test'
  | 'empirical_mmd'
  | 'TVD';

/** The kinds a column is compared as; text columns are listed but not tested. */
export type DriftKind = 'numerical' | 'categorical' | 'text';

export type Correction = 'none' | 'bonferroni' | 'fdr';

export interface DriftOptions {
  /** One test forced on every column it applies to; the others keep the automatic choice. */
  test?: StatTestName;
  /** Only these columns (default: every column present on both sides). */
  columns?: string[];
  /** Columns compared as categorical / numerical whatever their values look like. */
  categorical?: string[];
  numerical?: string[];
  /** Overrides every column's threshold (a p-value or a distance, as the test's score is). */
  threshold?: number;
  correction?: Correction;
  /** The dataset drifts when at least this share of the tested columns drifted. */
  driftShare?: number;
  seed?: number;
  /** Concept drift: performance on both sides and streaming detectors over the error. */
  target?: string;
  prediction?: string;
  /** Orders the current file's rows for the streaming detectors (else row order). */
  time?: string;
  /** Multivariate drift over the numerical columns (default mmd). */
  multivariate?: 'mmd' | 'none';
}

/** A column that the report lists but could not compare, and why. */
export type ColumnStatus = 'tested' | 'skipped';

export interface Histogram {
  /** Numerical columns: bin edges (one more than the counts). */
  edges?: number[];
  /** Categorical columns: the categories shown (the most frequent first, the rest summed). */
  categories?: string[];
  reference: number[];
  current: number[];
}

export interface ColumnResult {
  column: string;
  kind: DriftKind;
  status: ColumnStatus;
  test: StatTestName | null;
  testName: string | null;
  /** The test's statistic, or the distance for distance tests; null when not finite. */
  statistic: number | null;
  /** SciPy's p-value; null for distance tests. */
  pValue: number | null;
  /** What the score (p-value or distance) is compared with, after any correction. */
  threshold: number | null;
  /** How the score is compared with the threshold: drift when `score <op> threshold`. */
  operator: '<' | '<=' | '>' | '>=' | null;
  drift: boolean;
  reference: SideCounts;
  current: SideCounts;
  histogram: Histogram | null;
  notes: string[];
}

export interface SideCounts {
  /** Values compared: present and finite. */
  count: number;
  /** Empty, NA or NaN cells. */
  missing: number;
  /** Infinite numbers, dropped as Evidently drops them. */
  infinite: number;
  distinct: number;
}

export interface CorrectionResult {
  method: Correction;
  /** The family-wise level (Bonferroni) or the q-value (Benjamini-Hochberg); null for none. */
  alpha: number | null;
  /** How many p-value columns were corrected together. */
  tests: number;
}

export interface DatasetResult {
  drift: boolean;
  drifted: number;
  total: number;
  share: number;
  driftShare: number;
  correction: CorrectionResult;
}

export interface FileSummary {
  path: string;
  rows: number;
  format: string;
  columns: number;
}

export interface DriftReport {
  reference: FileSummary;
  current: FileSummary;
  columns: ColumnResult[];
  dataset: DatasetResult;
  /** Columns present on one side only: reported, not compared. */
  missingColumns: { reference: string[]; current: string[] };
  options: DriftOptions;
  notes: string[];
  multivariate?: MultivariateResult;
  concept?: ConceptReport;
}

/** MMD over the standardised numerical columns, with a permutation test (alibi-detect). */
export interface MultivariateResult {
  test: 'mmd';
  /** 'not enough rows' when fewer than two complete rows remain on a side. */
  status: 'ok' | 'not enough rows';
  columns: string[];
  statistic: number | null;
  pValue: number | null;
  threshold: number;
  drift: boolean;
  rowsUsed: { reference: number; current: number };
  permutations: number;
  sigma: number | null;
}

export type DriftStage = 'reading' | 'testing' | 'multivariate' | 'concept' | 'done';

export interface DriftProgress {
  stage: DriftStage;
  /** 0..1 within the stage, when known. */
  fraction?: number;
  message?: string;
}
