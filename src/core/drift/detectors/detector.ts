/**
 * What every streaming (concept) drift detector offers, in river's shape: feed one value at a
 * time, then read the flags. A flag describes the value just fed; after a drift the detector
 * wipes its state at the start of the next update (river's reset-on-next-update), so
 * `driftDetected` is true for exactly one update per detection.
 */
export interface DriftDetector {
  update(x: number): void;
  readonly driftDetected: boolean;
  /** Always false for detectors that have no warning zone (ADWIN, PageHinkley, KSWIN). */
  readonly warningDetected: boolean;
}

/**
 * Running mean updated as river's `stats.Mean` does, `mean += (1/n)(x - mean)`. The detectors'
 * thresholds are compared at full precision, so the arithmetic order is kept to reproduce
 * river's event indices exactly rather than approximately.
 */
export class RunningMean {
  n = 0;
  mean = 0;

  update(x: number): void {
    this.n += 1;
    this.mean += (1 / this.n) * (x - this.mean);
  }
}

/** Welford's running variance with ddof 1, as river's `stats.Var()`: 0 until two values. */
export class RunningVariance {
  readonly mean = new RunningMean();
  private sumOfSquares = 0;

  update(x: number): void {
    const before = this.mean.mean;
    this.mean.update(x);
    this.sumOfSquares += (x - before) * (x - this.mean.mean);
  }

  get variance(): number {
    return this.mean.n > 1 ? this.sumOfSquares / (this.mean.n - 1) : 0;
  }
}

/** Exponentially weighted mean: the first value sets it, then `mean = a x + (1 - a) mean`. */
export class EwMean {
  mean = 0;
  private initialized = false;
  private readonly oneMinusAlpha: number;

  constructor(private readonly alpha: number) {
    this.oneMinusAlpha = 1 - alpha;
  }

  update(x: number): void {
    if (this.initialized) {
      this.mean = this.alpha * x + this.oneMinusAlpha * this.mean;
    } else {
      this.mean = x;
      this.initialized = true;
    }
  }

  clear(): void {
    this.mean = 0;
    this.initialized = false;
  }

  /** Takes the state of `other`, which must share this one's alpha. */
  copyFrom(other: EwMean): void {
    this.mean = other.mean;
    this.initialized = other.initialized;
  }
}

/** Throws a RangeError naming the option unless `value` lies in [low, high]. */
export function checkRange(name: string, value: number, low: number, high: number): void {
  if (!(value >= low && value <= high)) {
    throw new RangeError(`${name} must lie between ${low} and ${high}, got ${value}`);
  }
}

/** Throws a RangeError unless `value` is a whole number of at least `low`. */
export function checkInteger(name: string, value: number, low: number): void {
  if (!Number.isInteger(value) || value < low) {
    throw new RangeError(`${name} must be a whole number of at least ${low}, got ${value}`);
  }
}
