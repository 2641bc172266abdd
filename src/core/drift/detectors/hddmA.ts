import { checkRange, RunningMean, type DriftDetector } from './detector';

export interface HddmAOptions {
  /** Confidence level of the drift test. */
  driftConfidence?: number;
  /** Confidence level of the warning test. */
  warningConfidence?: number;
  /** Also watch for a fall in the mean, not only a rise. */
  twoSidedTest?: boolean;
}

/**
 * HDDM_A (Frías-Blanco et al. 2014), as river's `drift.binary.HDDMA`: Hoeffding's bound on
 * the difference between the running mean and the mean up to a cut point. Input is 1 for an
 * error and 0 for a correct prediction (any value in [0, 1] is allowed).
 */
export class HDDM_A implements DriftDetector {
  readonly driftConfidence: number;
  readonly warningConfidence: number;
  readonly twoSidedTest: boolean;

  driftDetected = false;
  warningDetected = false;
  private total = new RunningMean();
  // The running mean as it stood at the cut points (count and mean), for a rise and a fall.
  private minimumCount = 0;
  private minimumMean = 0;
  private maximumCount = 0;
  private maximumMean = 0;
  // Logarithms of the confidences, computed once (river recomputes the same numbers each time).
  private readonly logBound: number;
  private readonly logDrift: number;
  private readonly logWarning: number;

  constructor(options: HddmAOptions = {}) {
    this.driftConfidence = options.driftConfidence ?? 0.001;
    this.warningConfidence = options.warningConfidence ?? 0.005;
    this.twoSidedTest = options.twoSidedTest ?? false;
    checkRange('driftConfidence', this.driftConfidence, Number.MIN_VALUE, 1);
    checkRange('warningConfidence', this.warningConfidence, Number.MIN_VALUE, 1);
    this.logBound = Math.log(1 / this.driftConfidence);
    this.logDrift = Math.log(2 / this.driftConfidence);
    this.logWarning = Math.log(2 / this.warningConfidence);
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();

    this.total.update(x);
    this.moveCutPoints();

    this.driftDetected = this.increased(this.logDrift);
    this.warningDetected = !this.driftDetected && this.increased(this.logWarning);
    if (!this.twoSidedTest) return;
    if (this.decreased(this.logDrift)) this.driftDetected = true;
    else if (this.decreased(this.logWarning)) this.warningDetected = true;
  }

  /** The bound uses the drift confidence for both cut points, as river (and MOA) do. */
  private bound(n: number): number {
    return Math.sqrt((1 / (2 * n)) * this.logBound);
  }

  private moveCutPoints(): void {
    const { n, mean } = this.total;
    const totalBound = this.bound(n);
    if (
      this.minimumCount === 0 ||
      this.minimumMean + this.bound(this.minimumCount) >= mean + totalBound
    ) {
      this.minimumCount = n;
      this.minimumMean = mean;
    }
    if (
      this.maximumCount === 0 ||
      this.maximumMean - this.bound(this.maximumCount) <= mean - totalBound
    ) {
      this.maximumCount = n;
      this.maximumMean = mean;
    }
  }

  private increased(logTwoOverConfidence: number): boolean {
    if (this.minimumCount === this.total.n) return false;
    const threshold = this.threshold(this.minimumCount, logTwoOverConfidence);
    return this.total.mean - this.minimumMean >= threshold;
  }

  private decreased(logTwoOverConfidence: number): boolean {
    if (this.maximumCount === this.total.n) return false;
    const threshold = this.threshold(this.maximumCount, logTwoOverConfidence);
    return this.maximumMean - this.total.mean >= threshold;
  }

  /** Hoeffding's bound on a difference of means, given ln(2 / confidence). */
  private threshold(cutCount: number, logTwoOverConfidence: number): number {
    const n = this.total.n;
    const m = ((n - cutCount) / cutCount) * (1 / n);
    return Math.sqrt((m / 2) * logTwoOverConfidence);
  }

  private reset(): void {
    this.driftDetected = false;
    this.warningDetected = false;
    this.total = new RunningMean();
    this.minimumCount = 0;
    this.minimumMean = 0;
    this.maximumCount = 0;
    this.maximumMean = 0;
  }
}

/**
 * The fewest rows at which HDDM_A can signal drift at all, for inputs in [0, 1]. The mean
 * difference after a cut at k of n rows is at most (n - k)/n, and the test needs it to reach
 * sqrt(m/2 ln(2/c)) with m = (n - k)/(k n); that is possible only once 2k(n - k)/n >= ln(2/c),
 * best at k = n/2. No shorter stream can drift, so a shorter one is "not enough rows".
 */
export function hddmAMinimumRows(driftConfidence = 0.001): number {
  const needed = Math.log(2 / driftConfidence);
  let n = 2;
  while ((2 * Math.floor(n / 2) * Math.ceil(n / 2)) / n < needed) n++;
  return n;
}
