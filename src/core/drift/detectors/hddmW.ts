import { checkRange, EwMean, type DriftDetector } from './detector';

export interface HddmWOptions {
  /** Confidence level of the drift test. */
  driftConfidence?: number;
  /** Confidence level of the warning test. */
  warningConfidence?: number;
  /** Weight of the newest value in the exponentially weighted mean (river: lambda_val). */
  lambdaVal?: number;
  /** Also watch for a fall in the mean, not only a rise. */
  twoSidedTest?: boolean;
}

/**
 * An exponentially weighted mean together with its "independent bounded condition" sum
 * (Σ weight²), which sets the width of McDiarmid's bound on it.
 */
class WeightedSample {
  initialized = false;
  ibc = 1;
  private readonly average: EwMean;

  constructor(private readonly lambda: number) {
    this.average = new EwMean(lambda);
  }

  get mean(): number {
    return this.average.mean;
  }

  update(x: number): void {
    this.average.update(x);
    this.initialized = true;
    this.ibc = this.lambda * this.lambda + (1 - this.lambda) * (1 - this.lambda) * this.ibc;
  }

  /** Becomes a copy of `other` (river deep-copies; reusing the object spares an allocation). */
  copyFrom(other: WeightedSample): void {
    this.average.copyFrom(other.average);
    this.initialized = other.initialized;
    this.ibc = other.ibc;
  }

  clear(): void {
    this.average.clear();
    this.initialized = false;
    this.ibc = 1;
  }
}

/** McDiarmid's bound, given ln(1 / confidence). */
function mcdiarmidBound(ibc: number, logInverseConfidence: number): number {
  return Math.sqrt((ibc * logInverseConfidence) / 2);
}

/** True when `later` has moved above `earlier` by more than the bound at a confidence. */
function rose(earlier: WeightedSample, later: WeightedSample, logInverse: number): boolean {
  if (!(earlier.initialized && later.initialized)) return false;
  return later.mean - earlier.mean > mcdiarmidBound(earlier.ibc + later.ibc, logInverse);
}

/**
 * HDDM_W (Frías-Blanco et al. 2014), as river's `drift.binary.HDDMW`: McDiarmid's bound on
 * exponentially weighted means before and after a cut point. Input is 1 for an error and 0 for
 * a correct prediction (any value in [0, 1] is allowed).
 */
export class HDDM_W implements DriftDetector {
  readonly driftConfidence: number;
  readonly warningConfidence: number;
  readonly lambdaVal: number;
  readonly twoSidedTest: boolean;

  driftDetected = false;
  warningDetected = false;
  private total!: WeightedSample;
  private beforeRise!: WeightedSample;
  private afterRise!: WeightedSample;
  private beforeFall!: WeightedSample;
  private afterFall!: WeightedSample;
  private riseCut = Infinity;
  private fallCut = -Infinity;
  // ln(1 / confidence), computed once (river recomputes the same numbers each time).
  private readonly logDrift: number;
  private readonly logWarning: number;

  constructor(options: HddmWOptions = {}) {
    this.driftConfidence = options.driftConfidence ?? 0.001;
    this.warningConfidence = options.warningConfidence ?? 0.005;
    this.lambdaVal = options.lambdaVal ?? 0.05;
    this.twoSidedTest = options.twoSidedTest ?? false;
    checkRange('driftConfidence', this.driftConfidence, Number.MIN_VALUE, 1);
    checkRange('warningConfidence', this.warningConfidence, Number.MIN_VALUE, 1);
    checkRange('lambdaVal', this.lambdaVal, Number.MIN_VALUE, 1);
    this.logDrift = Math.log(1 / this.driftConfidence);
    this.logWarning = Math.log(1 / this.warningConfidence);
    this.reset();
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();

    this.total.update(x);
    this.trackRise(x);
    this.driftDetected = rose(this.beforeRise, this.afterRise, this.logDrift);
    this.warningDetected =
      !this.driftDetected && rose(this.beforeRise, this.afterRise, this.logWarning);

    // The fall statistics are kept even one-sided, as river keeps them.
    this.trackFall(x);
    if (!this.twoSidedTest) return;
    if (rose(this.afterFall, this.beforeFall, this.logDrift)) this.driftDetected = true;
    else if (rose(this.afterFall, this.beforeFall, this.logWarning)) {
      this.warningDetected = true;
    }
  }

  private trackRise(x: number): void {
    const bound = mcdiarmidBound(this.total.ibc, this.logDrift);
    if (this.total.mean + bound < this.riseCut) {
      this.riseCut = this.total.mean + bound;
      this.beforeRise.copyFrom(this.total);
      this.afterRise.clear();
    } else {
      this.afterRise.update(x);
    }
  }

  private trackFall(x: number): void {
    const bound = mcdiarmidBound(this.total.ibc, this.logDrift);
    if (this.total.mean - bound > this.fallCut) {
      this.fallCut = this.total.mean - bound;
      this.beforeFall.copyFrom(this.total);
      this.afterFall.clear();
    } else {
      this.afterFall.update(x);
    }
  }

  private reset(): void {
    this.driftDetected = false;
    this.warningDetected = false;
    this.total = new WeightedSample(this.lambdaVal);
    this.beforeRise = new WeightedSample(this.lambdaVal);
    this.afterRise = new WeightedSample(this.lambdaVal);
    this.beforeFall = new WeightedSample(this.lambdaVal);
    this.afterFall = new WeightedSample(this.lambdaVal);
    this.riseCut = Infinity;
    this.fallCut = -Infinity;
  }
}

/**
 * The fewest rows at which HDDM_W can signal drift at all, for inputs in [0, 1]. Weighted means
 * of such inputs differ by at most 1, and the bound over a cut after k of n rows is
 * sqrt((ibc(k) + ibc(n - k)) ln(1/c) / 2), where ibc(t) falls from 1 towards λ/(2 - λ) with
 * each update. The cut only ever takes copies of the total, so both sides have been updated
 * k and n - k times. No shorter stream can drift, so a shorter one is "not enough rows".
 */
export function hddmWMinimumRows(driftConfidence = 0.001, lambdaVal = 0.05): number {
  const limit = 2 / Math.log(1 / driftConfidence);
  const ibc: number[] = [1];
  for (let n = 1; n < 100_000; n++) {
    const last = ibc[n - 1];
    ibc.push(lambdaVal * lambdaVal + (1 - lambdaVal) * (1 - lambdaVal) * last);
    for (let k = 1; k < n; k++) if (ibc[k] + ibc[n - k] < limit) return n;
  }
  return Infinity;
}
