import { checkInteger, checkRange, RunningVariance, type DriftDetector } from './detector';

export interface EddmOptions {
  /** Rows and errors seen before a warning or drift may be raised (river: warm_start). */
  warmStart?: number;
  /** Warning when (p' + 2s') / max falls below alpha. */
  alpha?: number;
  /** Drift when (p' + 2s') / max falls below beta; beta must not exceed alpha. */
  beta?: number;
}

/**
 * Early Drift Detection Method (Baena-García et al. 2006), as river's `drift.binary.EDDM`.
 * Input is 1 for an error and 0 for a correct prediction. It tracks the distance, in rows,
 * between consecutive errors: its mean p' and standard deviation s'. When errors come closer
 * together than at the best point seen ((p' + 2s') well below its maximum), drift is signalled.
 * Only error rows move it, so a warning stays raised across correct rows, as in river.
 */
export class EDDM implements DriftDetector {
  readonly warmStart: number;
  readonly alpha: number;
  readonly beta: number;

  driftDetected = false;
  warningDetected = false;
  private distances = new RunningVariance();
  private rows = 0;
  private errors = 0;
  private lastError = 0;
  private maxLevel = -1;

  constructor(options: EddmOptions = {}) {
    this.warmStart = options.warmStart ?? 30;
    this.alpha = options.alpha ?? 0.95;
    this.beta = options.beta ?? 0.9;
    checkInteger('warmStart', this.warmStart, 0);
    checkRange('alpha', this.alpha, 0, 1);
    checkRange('beta', this.beta, 0, this.alpha);
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();

    this.rows += 1;
    if (x !== 1) return;

    this.errors += 1;
    this.distances.update(this.rows - this.lastError);
    if (this.rows > this.warmStart) this.judge();
    this.lastError = this.rows;
  }

  private judge(): void {
    const level = this.distances.mean.mean + 2 * Math.sqrt(this.distances.variance);
    if (level > this.maxLevel) {
      this.maxLevel = level;
      return;
    }
    if (this.errors <= this.warmStart) return;

    const ratio = level / this.maxLevel;
    if (ratio < this.beta) this.driftDetected = true;
    else this.warningDetected = ratio < this.alpha;
  }

  private reset(): void {
    this.driftDetected = false;
    this.warningDetected = false;
    this.distances = new RunningVariance();
    this.rows = 0;
    this.errors = 0;
    this.lastError = 0;
    this.maxLevel = -1;
  }
}
