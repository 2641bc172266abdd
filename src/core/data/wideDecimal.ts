/**
 * The double nearest to w / 10^k, for an integer w of up to 19 significant digits (more than a
 * double holds exactly) and 1 <= k <= 22: the decimals numpy and pandas write for a float64,
 * such as 0.30000000000000004, which Clinger's fast path cannot take. It either returns the
 * correctly rounded result, proved with exact arithmetic, or declines (-1) so that the caller
 * uses Number(); it declines only at exact ties and at powers of two, a few cases in a million.
 *
 * The argument, with x = w / D and D = 10^k (exact in a double for k <= 22):
 * 1. w is read exactly as two 32-bit halves, then split as w = H + L with H = fl(w) and L a
 *    small integer (Dekker's Fast2Sum; |L| <= ulp(H) / 2).
 * 2. q = fl(H / D), u = ulp(q). Then |x - q| <= |L| / D + u / 2 < 3u / 2 (ulp(H) / 2D < u
 *    since H / D < 2q), so the answer is q, q + u or q - u. That needs q not to be a power of
 *    two, whose neighbour below is only u / 2 away: such q are declined.
 * 3. The residual R = w - qD is exact as S - p, where P + p = qD exactly (Dekker's
 *    TwoProduct) and S = (H - P) + L is exact: H - P by Sterbenz's lemma (P is within an ulp
 *    or two of H), and the sum because both are small integers.
 * 4. x - q = R / D, so q is the answer when |R| < B = (u / 2) D (exact: a power of two times
 *    D), q + u when R > B, q - u when R < -B. Usually fl(S - p), within a factor 1 +- 2^-53
 *    of R, is at most B / 2, which settles it. Otherwise the signs of R - B and R + B are
 *    found exactly: the three doubles are summed into a nonoverlapping expansion (Shewchuk's
 *    Grow-Expansion), whose sign is that of its largest nonzero term. R = +-B is a tie,
 *    declined.
 */

const TWO_32 = 2 ** 32;
const MAX_SIGNIFICANT_DIGITS = 19;
const HEAD_DIGITS = 15;
const DOT = 0x2e;
const ZERO = 0x30;
/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLITTER = 134217729;

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
const POWER_HIGH = POWERS_OF_TEN.map((power) => splitHigh(power));
/** 2^(e - 1075) for each biased exponent e: the ulp of a normal double with that exponent. */
const ULP = Array.from({ length: 2047 }, (_, e) => 2 ** (e - 1075));

export class WideDecimal {
  private readonly float = new Float64Array(1);
  private readonly words = new Uint32Array(this.float.buffer);

  /**
   * The double nearest to the digits in bytes [from, to) (a decimal point among them is
   * skipped) divided by 10^k, or -1 when this method cannot prove it.
   */
  nearestQuotient(bytes: Uint8Array, from: number, to: number, k: number): number {
    // w = head * 10^tailDigits + tail, with head the first 15 significant digits (exact in a
    // double) and tail at most 4 more: two divisions to split w in 32-bit halves, not one a digit.
    let head = 0;
    let headDigits = 0;
    let tail = 0;
    let tailDigits = 0;
    for (let index = from; index < to; index++) {
      const byte = bytes[index];
      if (byte === DOT || (headDigits === 0 && byte === ZERO)) continue;
      if (headDigits < HEAD_DIGITS) {
        head = head * 10 + (byte - ZERO);
        headDigits++;
      } else {
        if (++tailDigits > MAX_SIGNIFICANT_DIGITS - HEAD_DIGITS) return -1;
        tail = tail * 10 + (byte - ZERO);
      }
    }

    const scale = POWERS_OF_TEN[tailDigits];
    const headHigh = Math.floor(head / TWO_32);
    const lowSum = (head - headHigh * TWO_32) * scale + tail;
    const carry = Math.floor(lowSum / TWO_32);
    const high = headHigh * scale + carry;
    if (high < 2 ** 21) return -1;
    return this.divide(high, lowSum - carry * TWO_32, k);
  }

  /** The nearest double to (high * 2^32 + low) / 10^k, which is above 2^53; see above. */
  private divide(high: number, low: number, k: number): number {
    const top = high * TWO_32;
    const H = top + low;
    const L = low - (H - top);
    const D = POWERS_OF_TEN[k];
    const q = H / D;

    const P = q * D;
    const qHigh = splitHigh(q);
    const qLow = q - qHigh;
    const dHigh = POWER_HIGH[k];
    const dLow = D - dHigh;
    const p = qHigh * dHigh - P + qHigh * dLow + qLow * dHigh + qLow * dLow;
    const S = H - P + L;

    this.float[0] = q;
    const upper = this.words[1];
    if ((upper & 0xfffff) === 0 && this.words[0] === 0) return -1;
    const u = ULP[(upper >>> 20) & 0x7ff];
    const B = u * 0.5 * D;
    // Most residuals are far inside the bound. fl(S - p) is within a factor (1 +- 2^-53) of R,
    // so |fl(S - p)| <= B / 2 proves |R| < B without the exact sums below.
    if (Math.abs(S - p) <= B * 0.5) return q;

    const above = signOfSum(S, -p, -B);
    if (above > 0) return q + u;
    if (above === 0) return -1;
    const below = signOfSum(S, -p, B);
    if (below < 0) return q - u;
    return below === 0 ? -1 : q;
  }
}

/** The high half of Veltkamp's split: a double of 26 significant bits, a - high exact. */
function splitHigh(a: number): number {
  const c = SPLITTER * a;
  return c - (c - a);
}

/**
 * The exact sign of a + b + c (-1, 0 or 1). TwoSum(a, b) gives the nonoverlapping expansion
 * [y, x]; growing it by c gives [h1, h2, s], nonoverlapping and in increasing magnitude (zeros
 * aside), so the largest nonzero term carries the sign of the whole.
 */
function signOfSum(a: number, b: number, c: number): number {
  const x = a + b;
  let virtual = x - a;
  const y = a - (x - virtual) + (b - virtual);

  const s1 = c + y;
  virtual = s1 - c;
  const h1 = c - (s1 - virtual) + (y - virtual);
  const s = s1 + x;
  virtual = s - s1;
  const h2 = s1 - (s - virtual) + (x - virtual);

  if (s !== 0) return s > 0 ? 1 : -1;
  if (h2 !== 0) return h2 > 0 ? 1 : -1;
  if (h1 !== 0) return h1 > 0 ? 1 : -1;
  return 0;
}
