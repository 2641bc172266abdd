import { checkInteger, checkRange, RunningMean, type DriftDetector } from './detector';

export interface DdmOptions {
  /** Errors seen before a warning or drift may be raised (river: warm_start). */
  warmStart?: number;
  /** Multiple of the minimum standard deviation that opens the warning zone. */
  warningThreshold?: number;
  /** Multiple of the minimum standard deviation that signals drift. */
  driftThreshold?: number;
}

/**
 * Drift Detection Method (Gama et al. 2004), as river's `drift.binary.DDM`. Input is 1 for an
 * error and 0 for a correct prediction. The error rate p and its binomial standard deviation s
 * are tracked; the point where p + s was smallest is remembered, and drift is signalled when
 * p + s rises past p_min + driftThreshold * s_min.
 */
export class DDM implements DriftDetector {
  readonly warmStart: number;
  readonly warningThreshold: number;
  readonly driftThreshold: number;

  driftDetected = false;
  warningDetected = false;
  private errorRate = new RunningMean();
  private pMin = Infinity;
  private sMin = Infinity;
  private psMin = Infinity;

  constructor(options: DdmOptions = {}) {
    this.warmStart = options.warmStart ?? 30;
    this.warningThreshold = options.warningThreshold ?? 2;
    this.driftThreshold = options.driftThreshold ?? 3;
    checkInteger('warmStart', this.warmStart, 0);
    checkRange('warningThreshold', this.warningThreshold, 0, Infinity);
    checkRange('driftThreshold', this.driftThreshold, 0, Infinity);
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();

    this.errorRate.update(x);
    const n = this.errorRate.n;
    const p = this.errorRate.mean;
    const s = Math.sqrt((p * (1 - p)) / n);
    if (n <= this.warmStart) return;

    if (p + s <= this.psMin) {
      this.pMin = p;
      this.sMin = s;
      this.psMin = p + s;
    }
    this.warningDetected = p + s > this.pMin + this.warningThreshold * this.sMin;
    if (p + s > this.pMin + this.driftThreshold * this.sMin) {
      this.driftDetected = true;
      this.warningDetected = false;
    }
  }

  private reset(): void {
    this.driftDetected = false;
    this.warningDetected = false;
    this.errorRate = new RunningMean();
    this.pMin = Infinity;
    this.sMin = Infinity;
    this.psMin = Infinity;
  }
}
