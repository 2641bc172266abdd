import type { Correction } from './types';

/**
 * Multiple-testing corrections over the columns' p-values, as alibi-detect applies them
 * (reference/drift.md §1.1): Bonferroni divides the level by the number of tests;
 * Benjamini-Hochberg compares the i-th smallest p-value with (q*i)/n, strictly, and every
 * column up to the largest i below its line is a discovery. Distance tests have no p-value and
 * keep their own thresholds.
 */
export interface Corrected {
  /** The threshold each p-value is compared with. */
  threshold: number;
  /** Which p-values are discoveries under the correction, by input position. */
  drift: boolean[];
}

export function correct(pValues: number[], method: Correction, alpha: number): Corrected {
  const n = pValues.length;
  if (method === 'bonferroni') {
    const threshold = alpha / n;
    return { threshold, drift: pValues.map((p) => p < threshold) };
  }
  if (method === 'fdr') return benjaminiHochberg(pValues, alpha);
  return { threshold: alpha, drift: pValues.map((p) => p < alpha) };
}

function benjaminiHochberg(pValues: number[], q: number): Corrected {
  const n = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a] - pValues[b]);
  let last = -1;
  order.forEach((index, rank) => {
    // (q * i) / n in this order, as alibi computes it: 0.05 * 3 / 5 is 0.030000000000000006,
    // so a p-value of exactly 0.03 is a discovery there and must be one here.
    if (pValues[index] < (q * (rank + 1)) / n) last = rank;
  });
  const drift = new Array<boolean>(n).fill(false);
  for (let rank = 0; rank <= last; rank++) drift[order[rank]] = true;
  const threshold = last >= 0 ? (q * (last + 1)) / n : q / n;
  return { threshold, drift };
}
