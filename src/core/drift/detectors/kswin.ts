import { createRandom, randomInt, type RandomSource } from '../random';
import { ks2samp } from '../tests/ks';
import { checkInteger, checkRange, type DriftDetector } from './detector';

export interface KswinOptions {
  /** Level of the Kolmogorov-Smirnov test; river advises keeping it below 0.01. */
  alpha?: number;
  /** Values held in the sliding window. */
  windowSize?: number;
  /** Size of the recent part of the window, and of the sample drawn from the older part. */
  statSize?: number;
  /**
   * Seed of the sampling generator, which is re-created from it at every reset, as river
   * re-seeds `random.Random(seed)`. Defaults to 42, the drift engine's default seed.
   */
  seed?: number;
  /** A source to draw from instead of a seeded one; it is not rewound at a reset. */
  random?: RandomSource;
  /** Values that fill the window at the start, to avoid a cold start. */
  window?: ArrayLike<number>;
}

/**
 * KSWIN (Raab et al. 2020), as river's `drift.KSWIN`: keeps the last `windowSize` values and,
 * once the window is full, compares its last `statSize` values with `statSize` values drawn
 * without replacement from the older part, by a two-sample Kolmogorov-Smirnov test (SciPy's
 * `ks_2samp`, method auto, exact at these sizes). Drift when p <= alpha and D > 0.1.
 *
 * The draw follows the order of Python's `random.sample` for small populations (a pool from
 * which the j-th pick takes pool[floor(u (N - j))] and moves the last item into its place), so
 * a source replaying Python's choices reproduces river's detections. Python's generator itself
 * is not reproduced: with the default seeded source, detections match river's in kind, not row.
 */
export class KSWIN implements DriftDetector {
  readonly alpha: number;
  readonly windowSize: number;
  readonly statSize: number;
  readonly seed: number;
  readonly warningDetected = false;

  driftDetected = false;
  /** p-value and statistic of the last test, 0 before the window first fills (as river). */
  pValue = 0;
  statistic = 0;
  private readonly buffer: Float64Array;
  private start = 0;
  private length = 0;
  private random: RandomSource;
  private readonly injected: RandomSource | undefined;
  private readonly pool: Int32Array;
  private readonly older: Float64Array;
  /** The last statSize values in ascending order (valid once `recentSorted`). */
  private readonly recent: Float64Array;
  private recentSorted = false;

  constructor(options: KswinOptions = {}) {
    this.alpha = options.alpha ?? 0.005;
    this.windowSize = options.windowSize ?? 100;
    this.statSize = options.statSize ?? 30;
    this.seed = options.seed ?? 42;
    checkRange('alpha', this.alpha, 0, 1);
    checkInteger('statSize', this.statSize, 1);
    checkInteger('windowSize', this.windowSize, 2 * this.statSize);
    this.injected = options.random;

    this.buffer = new Float64Array(this.windowSize);
    this.pool = new Int32Array(this.windowSize - this.statSize);
    this.older = new Float64Array(this.statSize);
    this.recent = new Float64Array(this.statSize);
    this.random = this.injected ?? createRandom(this.seed);
    for (let i = 0; i < (options.window?.length ?? 0); i++) this.append(options.window![i]);
  }

  update(x: number): void {
    // The recent values are kept sorted, which a NaN would break (river's test would get NaN).
    if (!Number.isFinite(x)) throw new RangeError(`KSWIN takes finite values, got ${x}`);
    if (this.driftDetected) this.reset();

    const wasFull = this.length === this.windowSize;
    const leaving = wasFull ? this.at(this.windowSize - this.statSize) : NaN;
    this.append(x);
    if (this.length < this.windowSize) return;

    this.drawOlder();
    this.older.sort();
    if (wasFull && this.recentSorted) replaceSorted(this.recent, leaving, x);
    else this.sortRecent();
    const result = ks2samp(this.older, this.recent, { sorted: true });
    this.statistic = result.statistic;
    this.pValue = result.pValue;
    this.driftDetected = result.pValue <= this.alpha && result.statistic > 0.1;
  }

  /** The window's values, oldest first. */
  windowValues(): Float64Array {
    const values = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) values[i] = this.at(i);
    return values;
  }

  private at(position: number): number {
    const index = this.start + position;
    return this.buffer[index < this.windowSize ? index : index - this.windowSize];
  }

  private append(x: number): void {
    if (this.length < this.windowSize) {
      this.buffer[(this.start + this.length) % this.windowSize] = x;
      this.length += 1;
    } else {
      this.buffer[this.start] = x;
      this.start = (this.start + 1) % this.windowSize;
    }
  }

  private drawOlder(): void {
    const population = this.pool.length;
    for (let i = 0; i < population; i++) this.pool[i] = i;
    for (let i = 0; i < this.statSize; i++) {
      const j = randomInt(this.random, population - i);
      this.older[i] = this.at(this.pool[j]);
      this.pool[j] = this.pool[population - i - 1];
    }
  }

  /** The last statSize values, sorted; afterwards kept sorted one value at a time. */
  private sortRecent(): void {
    const offset = this.windowSize - this.statSize;
    for (let i = 0; i < this.statSize; i++) this.recent[i] = this.at(offset + i);
    this.recent.sort();
    this.recentSorted = true;
  }

  /** river keeps the recent values after a drift, then empties the window at the next update. */
  private reset(): void {
    this.driftDetected = false;
    this.pValue = 0;
    this.statistic = 0;
    this.start = 0;
    this.length = 0;
    this.recentSorted = false;
    this.random = this.injected ?? createRandom(this.seed);
  }
}

/** In a sorted array, replaces one occurrence of `leaving` by `entering`, keeping the order. */
function replaceSorted(values: Float64Array, leaving: number, entering: number): void {
  let i = values.indexOf(leaving);
  if (i < 0) throw new Error(`KSWIN lost track of its recent values (${leaving})`);

  while (i > 0 && values[i - 1] > entering) {
    values[i] = values[i - 1];
    i--;
  }
  while (i < values.length - 1 && values[i + 1] < entering) {
    values[i] = values[i + 1];
    i++;
  }
  values[i] = entering;
}
