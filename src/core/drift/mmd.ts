import {
  gaussianKernelInPlace,
  kernelSums,
  medianHeuristicSigma,
  pairwiseSquaredDistances,
  unbiasedMmd2,
} from './rbfKernel';
import { randomInt, shuffleInPlace, type RandomSource } from './random';

export interface MmdOptions {
  /** Draws the subsamples and, unless `permutationSource` is given, the permutations. */
  random: RandomSource;
  /** Permutations of the pooled rows; alibi-detect's default is 100. */
  permutations?: number;
  /**
   * At most this many rows a side are used, drawn at random. The packed kernel matrix takes
   * 8 (2 maxRows)² / 2 bytes: 64 MB at the default 2,000, 1.6 GB at 10,000.
   */
  maxRows?: number;
  /** Drift when the permutation p-value is below this (strictly), alibi-detect's p_val. */
  pValue?: number;
  /**
   * The k-th permutation of `size` pooled rows (reference rows first, then current); the first
   * rows of it form the permuted reference block. Lets a script replay exact permutations.
   */
  permutationSource?: (size: number, index: number) => Int32Array;
  /** Standardise each column by the reference's mean and standard deviation (default true). */
  standardize?: boolean;
}

interface MmdCommon {
  test: 'mmd';
  drift: boolean;
  /** The p-value level the decision used. */
  threshold: number;
  rowsUsed: { reference: number; current: number };
}

export type MmdResult =
  | (MmdCommon & {
      status: 'ok';
      /** Unbiased MMD², which can be negative when the samples are alike. */
      statistic: number;
      pValue: number;
      /** The kernel bandwidth, from the median heuristic on the reference. */
      sigma: number;
      /** alibi-detect's distance_threshold: the permuted MMD² a drift would have to exceed. */
      distanceThreshold: number;
    })
  | (MmdCommon & {
      status: 'not enough rows';
      statistic: null;
      pValue: null;
      sigma: null;
      distanceThreshold: null;
    });

/**
 * Multivariate drift by the maximum mean discrepancy, with alibi-detect's MMDDrift semantics:
 * Gaussian RBF kernel whose σ is the median heuristic on the reference, unbiased MMD², and a
 * permutation test with p = mean(observed <= permuted), no +1, drift when p < pValue.
 *
 * Before that, as the product's multivariate check: rows with a missing (or infinite) value in
 * any column are dropped, each side is cut to maxRows random rows, and each column is
 * standardised by the reference's mean and standard deviation (ddof 1, as alibi's LSDD detector
 * standardises; a constant reference column is only centred). The choice of ddof cannot change
 * the outcome: it scales every column alike, and the median heuristic scales σ to match.
 * `reference` and `current` hold one array per column, in the same column order.
 */
export function mmdDrift(
  reference: Float64Array[],
  current: Float64Array[],
  options: MmdOptions,
): MmdResult {
  const settings = checkInputs(reference, current, options);

  const sample = prepareSample(reference, current, settings, options.random);
  const rowsUsed = sample.rowsUsed;
  if (rowsUsed.reference < 2 || rowsUsed.current < 2) {
    return notEnoughRows(rowsUsed, settings.pValue);
  }

  const size = rowsUsed.reference + rowsUsed.current;
  const distances = pairwiseSquaredDistances(sample.points, reference.length);
  const sigma = bandwidth(medianHeuristicSigma(distances, size, rowsUsed.reference));
  const sums = kernelSums(gaussianKernelInPlace(distances, sigma), size);

  const identity = Int32Array.from({ length: size }, (_, i) => i);
  const statistic = unbiasedMmd2(sums, identity, rowsUsed.reference);
  const source =
    options.permutationSource ?? (() => shuffleInPlace(identity.slice(), options.random));
  const permuted = new Float64Array(settings.permutations);
  for (let k = 0; k < permuted.length; k++) {
    permuted[k] = unbiasedMmd2(sums, checkPermutation(source(size, k), size), rowsUsed.reference);
  }

  const pValue = permuted.filter((value) => statistic <= value).length / permuted.length;
  return {
    test: 'mmd',
    status: 'ok',
    statistic,
    pValue,
    drift: pValue < settings.pValue,
    threshold: settings.pValue,
    rowsUsed,
    sigma,
    distanceThreshold: distanceThreshold(permuted, settings.pValue),
  };
}

/**
 * The points the test runs on: complete rows only, scaled by the whole reference's complete
 * rows, then cut to maxRows a side (reference drawn first), pooled reference first.
 */
function prepareSample(
  reference: Float64Array[],
  current: Float64Array[],
  settings: { maxRows: number; standardize: boolean },
  random: RandomSource,
) {
  const referenceComplete = completeRows(reference);
  const scaling = settings.standardize ? referenceScaling(reference, referenceComplete) : undefined;
  const referenceRows = subsample(referenceComplete, settings.maxRows, random);
  const currentRows = subsample(completeRows(current), settings.maxRows, random);

  return {
    rowsUsed: { reference: referenceRows.length, current: currentRows.length },
    points: poolRows(reference, referenceRows, current, currentRows, scaling),
  };
}

/**
 * A median of zero (more than half the reference pairs are identical rows) would make every
 * other pair's kernel 0 and, in alibi-detect, every statistic 0 and p = 1, so no drift could
 * ever be found. Evidently's empirical MMD falls back to σ = sqrt(0.5) there, that is, to a
 * median squared distance of 1 (one standard deviation apart); so does this.
 */
function bandwidth(sigma: number): number {
  return sigma > 0 ? sigma : Math.SQRT1_2;
}

function checkInputs(reference: Float64Array[], current: Float64Array[], options: MmdOptions) {
  if (reference.length === 0 || reference.length !== current.length) {
    throw new RangeError(
      `MMD needs the same columns on both sides, got ${reference.length} and ${current.length}`,
    );
  }
  for (const side of [reference, current]) {
    if (side.some((column) => column.length !== side[0].length)) {
      throw new RangeError('MMD columns of one side must have the same number of rows');
    }
  }
  const settings = {
    permutations: options.permutations ?? 100,
    maxRows: options.maxRows ?? 2000,
    pValue: options.pValue ?? 0.05,
    standardize: options.standardize ?? true,
  };
  if (!Number.isInteger(settings.permutations) || settings.permutations < 1) {
    throw new RangeError(`permutations must be a whole number of at least 1`);
  }
  if (!Number.isInteger(settings.maxRows) || settings.maxRows < 2) {
    throw new RangeError(`maxRows must be a whole number of at least 2`);
  }
  if (!(settings.pValue > 0 && settings.pValue <= 1)) {
    throw new RangeError(`pValue must lie in (0, 1], got ${settings.pValue}`);
  }
  return settings;
}

/** Rows where every column has a finite value. */
function completeRows(columns: Float64Array[]): Int32Array {
  const length = columns[0].length;
  const rows = new Int32Array(length);
  let count = 0;
  for (let row = 0; row < length; row++) {
    let complete = true;
    for (let c = 0; complete && c < columns.length; c++)
      complete = Number.isFinite(columns[c][row]);
    if (complete) rows[count++] = row;
  }
  return rows.slice(0, count);
}

/** At most `limit` of `rows`, drawn without replacement, kept in file order. */
function subsample(rows: Int32Array, limit: number, random: RandomSource): Int32Array {
  if (rows.length <= limit) return rows;
  const pool = rows.slice();
  for (let i = 0; i < limit; i++) {
    const j = i + randomInt(random, pool.length - i);
    const row = pool[i];
    pool[i] = pool[j];
    pool[j] = row;
  }
  return pool.slice(0, limit).sort();
}

interface Scaling {
  mean: Float64Array;
  scale: Float64Array;
}

function referenceScaling(columns: Float64Array[], rows: Int32Array): Scaling {
  const mean = new Float64Array(columns.length);
  const scale = new Float64Array(columns.length).fill(1);
  columns.forEach((column, c) => {
    let sum = 0;
    for (let i = 0; i < rows.length; i++) sum += column[rows[i]];
    mean[c] = sum / rows.length;
    let squares = 0;
    for (let i = 0; i < rows.length; i++) squares += (column[rows[i]] - mean[c]) ** 2;
    const std = Math.sqrt(squares / (rows.length - 1));
    if (std > 0) scale[c] = std;
  });
  return { mean, scale };
}

/** Reference rows, then current rows, row-major, standardised when a scaling is given. */
function poolRows(
  reference: Float64Array[],
  referenceRows: Int32Array,
  current: Float64Array[],
  currentRows: Int32Array,
  scaling: Scaling | undefined,
): Float64Array {
  const dimensions = reference.length;
  const points = new Float64Array((referenceRows.length + currentRows.length) * dimensions);
  let offset = 0;
  for (const [columns, rows] of [
    [reference, referenceRows],
    [current, currentRows],
  ] as const) {
    for (let i = 0; i < rows.length; i++) {
      for (let c = 0; c < dimensions; c++) {
        const value = columns[c][rows[i]];
        points[offset++] = scaling ? (value - scaling.mean[c]) / scaling.scale[c] : value;
      }
    }
  }
  return points;
}

function checkPermutation(order: Int32Array, size: number): Int32Array {
  const seen = new Uint8Array(size);
  let valid = order.length === size;
  for (let i = 0; valid && i < size; i++) {
    valid = order[i] >= 0 && order[i] < size && seen[order[i]] === 0;
    if (valid) seen[order[i]] = 1;
  }
  if (!valid) throw new RangeError(`a permutation must hold each of 0..${size - 1} once`);
  return order;
}

/** alibi's distance_threshold: permuted values sorted descending, at int(pValue * count). */
function distanceThreshold(permuted: Float64Array, level: number): number {
  const descending = permuted.slice().sort().reverse();
  return descending[Math.min(Math.floor(level * permuted.length), permuted.length - 1)];
}

function notEnoughRows(rowsUsed: MmdCommon['rowsUsed'], level: number): MmdResult {
  return {
    test: 'mmd',
    status: 'not enough rows',
    statistic: null,
    pValue: null,
    drift: false,
    threshold: level,
    rowsUsed,
    sigma: null,
    distanceThreshold: null,
  };
}
