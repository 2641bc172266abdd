import { checkInteger, checkRange, RunningMean, type DriftDetector } from './detector';

export type PageHinkleyMode = 'both' | 'up' | 'down';

export interface PageHinkleyOptions {
  /** Values seen before drift may be signalled. */
  minInstances?: number;
  /** Magnitude of change tolerated without accumulating evidence. */
  delta?: number;
  /** Accumulated evidence that signals drift (lambda). */
  threshold?: number;
  /** Forgetting factor applied to the cumulative sums. */
  alpha?: number;
  /** Watch for a rise ('up'), a fall ('down') or either ('both'). */
  mode?: PageHinkleyMode;
}

/**
 * The Page-Hinkley test (Page 1954), as river's `drift.PageHinkley` (the two-sided version of
 * river 0.15 and later). Deviations from the running mean, less a tolerance delta, are summed
 * with a forgetting factor; drift is signalled when a sum rises more than `threshold` above its
 * lowest point (or falls below its highest). Input is any real value.
 */
export class PageHinkley implements DriftDetector {
  readonly minInstances: number;
  readonly delta: number;
  readonly threshold: number;
  readonly alpha: number;
  readonly mode: PageHinkleyMode;
  readonly warningDetected = false;

  driftDetected = false;
  private mean = new RunningMean();
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Infinity;
  // river starts the maximum at -1, not -Infinity. The first update (deviation 0) sets it to
  // delta, so this matters only for a negative delta; kept for fidelity.
  private maxDecrease = -1;

  constructor(options: PageHinkleyOptions = {}) {
    this.minInstances = options.minInstances ?? 30;
    this.delta = options.delta ?? 0.005;
    this.threshold = options.threshold ?? 50;
    this.alpha = options.alpha ?? 1 - 0.0001;
    this.mode = options.mode ?? 'both';
    checkInteger('minInstances', this.minInstances, 1);
    checkRange('delta', this.delta, 0, Infinity);
    checkRange('threshold', this.threshold, 0, Infinity);
    checkRange('alpha', this.alpha, 0, 1);
    if (!['both', 'up', 'down'].includes(this.mode)) {
      throw new RangeError(`mode must be 'both', 'up' or 'down', got '${this.mode}'`);
    }
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();

    this.mean.update(x);
    const deviation = x - this.mean.mean;
    this.sumIncrease = this.alpha * this.sumIncrease + deviation - this.delta;
    this.sumDecrease = this.alpha * this.sumDecrease + deviation + this.delta;
    if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease;
    if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease;
    if (this.mean.n < this.minInstances) return;

    const rise = this.sumIncrease - this.minIncrease > this.threshold;
    const fall = this.maxDecrease - this.sumDecrease > this.threshold;
    this.driftDetected = this.mode === 'up' ? rise : this.mode === 'down' ? fall : rise || fall;
  }

  private reset(): void {
    this.driftDetected = false;
    this.mean = new RunningMean();
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Infinity;
    this.maxDecrease = -1;
  }
}
