import { checkInteger, checkRange, type DriftDetector } from './detector';

export interface AdwinOptions {
  /** Confidence of the cut test; smaller means fewer, surer detections. */
  delta?: number;
  /** The window is checked for a cut once every `clock` values. */
  clock?: number;
  /** Summaries kept per size before two are merged into one of twice the size. */
  maxBuckets?: number;
  /** Least number of values on each side of a cut. */
  minWindowLength?: number;
  /** Values seen before the window is first checked. */
  gracePeriod?: number;
}

/**
 * One size class of ADWIN's exponential histogram: up to maxBuckets + 1 summaries (sum and
 * variance) of 2^index values each, oldest first.
 */
class BucketRow {
  readonly totals: Float64Array;
  readonly variances: Float64Array;
  count = 0;

  constructor(capacity: number) {
    this.totals = new Float64Array(capacity);
    this.variances = new Float64Array(capacity);
  }

  push(total: number, variance: number): void {
    this.totals[this.count] = total;
    this.variances[this.count] = variance;
    this.count += 1;
  }

  dropOldest(dropped: number): void {
    this.totals.copyWithin(0, dropped, this.count);
    this.variances.copyWithin(0, dropped, this.count);
    this.count -= dropped;
  }
}

/**
 * ADaptive WINdowing (Bifet & Gavaldà 2007), as river's `drift.ADWIN` (its Rust port of
 * `adwin_c.pyx`, arithmetic in the same order so detections land on the same rows). The window
 * is an exponential histogram; whenever the means of an older and a newer part differ by more
 * than a Hoeffding-style bound the oldest summary is dropped and drift is signalled. After a
 * drift the next update starts from an empty window, as river re-creates its helper.
 */
export class ADWIN implements DriftDetector {
  readonly delta: number;
  readonly clock: number;
  readonly maxBuckets: number;
  readonly minWindowLength: number;
  readonly gracePeriod: number;
  readonly warningDetected = false;

  driftDetected = false;
  /** Values in the window. */
  width = 0;
  /** Sum of the values in the window. */
  total = 0;
  /** Sum of squared deviations from the window's mean. */
  variance = 0;
  private tick = 0;
  private rows: BucketRow[] = [];

  constructor(options: AdwinOptions = {}) {
    this.delta = options.delta ?? 0.002;
    this.clock = options.clock ?? 32;
    this.maxBuckets = options.maxBuckets ?? 5;
    this.minWindowLength = options.minWindowLength ?? 5;
    this.gracePeriod = options.gracePeriod ?? 10;
    checkRange('delta', this.delta, Number.MIN_VALUE, 1);
    checkInteger('clock', this.clock, 1);
    checkInteger('maxBuckets', this.maxBuckets, 1);
    checkInteger('minWindowLength', this.minWindowLength, 1);
    checkInteger('gracePeriod', this.gracePeriod, 0);
    this.reset();
  }

  /** The window's mean, river's `estimation`. */
  get estimation(): number {
    return this.width === 0 ? 0 : this.total / this.width;
  }

  update(x: number): void {
    if (this.driftDetected) this.reset();

    this.insert(x);
    this.driftDetected = this.detectChange();
  }

  private insert(x: number): void {
    this.rows[0].push(x, 0);
    this.width += 1;
    let increment = 0;
    if (this.width > 1) {
      const deviation = x - this.total / (this.width - 1);
      increment = ((this.width - 1) * deviation * deviation) / this.width;
    }
    this.variance += increment;
    this.total += x;

    this.compress();
  }

  /** Merges the two oldest summaries of each overflowing row into the next row up. */
  private compress(): void {
    for (let index = 0; this.rows[index].count === this.maxBuckets + 1; index++) {
      const row = this.rows[index];
      const size = 2 ** index;
      const meanA = row.totals[0] / size;
      const meanB = row.totals[1] / size;
      const merged =
        row.variances[0] + row.variances[1] + size * 0.5 * (meanA - meanB) * (meanA - meanB);
      if (index + 1 === this.rows.length) this.rows.push(new BucketRow(this.maxBuckets + 1));
      this.rows[index + 1].push(row.totals[0] + row.totals[1], merged);
      row.dropOldest(2);
      if (this.rows[index + 1].count <= this.maxBuckets) break;
    }
  }

  private detectChange(): boolean {
    this.tick += 1;
    if (this.tick % this.clock !== 0 || this.width <= this.gracePeriod) return false;

    let detected = false;
    while (this.cutOnce()) detected = true;
    return detected;
  }

  /**
   * Scans every split of the window from the oldest summary on; at the first split whose two
   * sides differ significantly, drops the oldest summary and reports true.
   */
  private cutOnce(): boolean {
    let olderCount = 0;
    let olderSum = 0;
    let newerCount = this.width;
    let newerSum = this.total;
    for (let index = this.rows.length - 1; index >= 0; index--) {
      const row = this.rows[index];
      const size = 2 ** index;
      for (let k = 0; k < row.count; k++) {
        olderCount += size;
        newerCount -= size;
        olderSum += row.totals[k];
        newerSum -= row.totals[k];
        if (index === 0 && k === row.count - 1) return false;

        const difference = olderSum / olderCount - newerSum / newerCount;
        if (
          newerCount >= this.minWindowLength &&
          olderCount >= this.minWindowLength &&
          this.significant(olderCount, newerCount, difference)
        ) {
          if (this.width > 0) this.dropOldest();
          return true;
        }
      }
    }
    return false;
  }

  private significant(olderCount: number, newerCount: number, difference: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.width)) / this.delta);
    const reciprocal =
      1 / (olderCount - this.minWindowLength + 1) + 1 / (newerCount - this.minWindowLength + 1);
    const epsilon =
      Math.sqrt(2 * reciprocal * (this.variance / this.width) * deltaPrime) +
      (2 / 3) * deltaPrime * reciprocal;
    return Math.abs(difference) > epsilon;
  }

  private dropOldest(): void {
    const last = this.rows.length - 1;
    const row = this.rows[last];
    const size = 2 ** last;
    const sum = row.totals[0];
    const mean = sum / size;

    this.width -= size;
    this.total -= sum;
    const windowMean = this.total / this.width;
    this.variance -=
      row.variances[0] +
      (size * this.width * (mean - windowMean) * (mean - windowMean)) / (size + this.width);

    row.dropOldest(1);
    if (row.count === 0 && last > 0) this.rows.pop();
  }

  private reset(): void {
    this.driftDetected = false;
    this.width = 0;
    this.total = 0;
    this.variance = 0;
    this.tick = 0;
    this.rows = [new BucketRow(this.maxBuckets + 1)];
  }
}

/**
 * The first update at which ADWIN can cut its window: a multiple of clock, past the grace
 * period, with room for minWindowLength values on each side of a cut.
 */
export function adwinMinimumRows(clock = 32, gracePeriod = 10, minWindowLength = 5): number {
  const least = Math.max(gracePeriod + 1, 2 * minWindowLength);
  return clock * Math.ceil(least / clock);
}
