/**
 * Numbers straight from the bytes of a text file, without a string per field, and exact: every
 * result is the double nearest to the decimal written (ties to even), the same as Number().
 *
 * Short decimals take Clinger's fast path: digits that fit in 2^53 are held exactly in a double,
 * and so is 10^k for k up to 22, so one IEEE division or multiplication gives the correctly
 * rounded result. Up to 19 significant digits (what numpy and pandas write for a float64) go
 * through WideDecimal, which proves its answer or declines. Anything
 * else is checked to be a decimal as pandas reads it (Number() would also take hex, binary and
 * blank text) and handed to Number().
 */
import { WideDecimal } from './wideDecimal';

const ZERO = 0x30;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const SPACE = 0x20;
const TAB = 0x09;

const MAX_EXACT_MANTISSA = 2 ** 53;
const MAX_EXACT_POWER = 22;
const POWERS_OF_TEN = Array.from({ length: MAX_EXACT_POWER + 1 }, (_, k) => 10 ** k);
const INFINITY_WORDS = ['inf', 'infinity'];

export class NumberParser {
  /**
   * Whether the last number parsed was written as an integer (digits and an optional sign, no
   * decimal point or exponent), which is what makes pandas give a column an integer dtype.
   */
  integerLiteral = false;
  private exponentValue = 0;
  private readonly wide = new WideDecimal();

  /**
   * The number in bytes [start, end), or NaN when they do not hold one. "nan" and the other
   * missing-value spellings are not numbers here: the caller checks those separately.
   */
  parse(bytes: Buffer, start: number, end: number): number {
    let index = start;
    const first = bytes[index];
    const negative = first === MINUS;
    if (negative || first === PLUS) index++;

    const digitsStart = index;
    let mantissa = 0;
    let digits = 0;
    let scale = 0;
    for (; index < end; index++) {
      const digit = bytes[index] - ZERO;
      if (digit < 0 || digit > 9) break;
      mantissa = mantissa * 10 + digit;
      digits++;
    }
    let integerLiteral = true;
    if (index < end && bytes[index] === DOT) {
      integerLiteral = false;
      for (index++; index < end; index++) {
        const digit = bytes[index] - ZERO;
        if (digit < 0 || digit > 9) break;
        mantissa = mantissa * 10 + digit;
        digits++;
        scale--;
      }
    }
    const digitsEnd = index;
    if (index < end && (bytes[index] === LOWER_E || bytes[index] === UPPER_E)) {
      integerLiteral = false;
      index = this.exponent(bytes, index + 1, end);
      scale += this.exponentValue;
    }
    if (index !== end || digits === 0) return this.general(bytes, start, end);

    this.integerLiteral = integerLiteral;
    let magnitude: number;
    // Past 2^53 the running mantissa has been rounded (rounding is monotonic, so a final value
    // within 2^53 proves no step was): then the digits are read again, exactly, if they can be.
    if (mantissa <= MAX_EXACT_MANTISSA && scale >= -MAX_EXACT_POWER && scale <= MAX_EXACT_POWER) {
      magnitude =
        scale === 0
          ? mantissa
          : scale < 0
            ? mantissa / POWERS_OF_TEN[-scale]
            : mantissa * POWERS_OF_TEN[scale];
    } else if (scale < 0 && scale >= -MAX_EXACT_POWER) {
      magnitude = this.wide.nearestQuotient(bytes, digitsStart, digitsEnd, -scale);
      if (magnitude < 0) return this.general(bytes, start, end);
    } else {
      return this.general(bytes, start, end);
    }
    return negative ? -magnitude : magnitude;
  }

  /** Reads an exponent's sign and digits; returns where it stopped, or -1 if it has no digits. */
  private exponent(bytes: Buffer, start: number, end: number): number {
    let index = start;
    let negative = false;
    if (index < end && (bytes[index] === MINUS || bytes[index] === PLUS)) {
      negative = bytes[index] === MINUS;
      index++;
    }
    let value = 0;
    const digitsStart = index;
    for (; index < end; index++) {
      const digit = bytes[index] - ZERO;
      if (digit < 0 || digit > 9) break;
      if (value < 1e6) value = value * 10 + digit;
    }
    this.exponentValue = negative ? -value : value;
    return index === digitsStart ? -1 : index;
  }

  /** Blanks around the number, long mantissas, big exponents, infinities: Number() decides. */
  private general(bytes: Buffer, start: number, end: number): number {
    while (start < end && (bytes[start] === SPACE || bytes[start] === TAB)) start++;
    while (end > start && (bytes[end - 1] === SPACE || bytes[end - 1] === TAB)) end--;
    if (start === end) return NaN;

    let hasDigit = false;
    let integerLiteral = true;
    for (let index = start; index < end; index++) {
      const byte = bytes[index];
      if (byte >= ZERO && byte <= ZERO + 9) hasDigit = true;
      else if (byte === DOT || byte === LOWER_E || byte === UPPER_E) integerLiteral = false;
      else if (byte !== PLUS && byte !== MINUS) return this.infinity(bytes, start, end);
    }
    if (!hasDigit) return NaN;

    const value = Number(bytes.toString('latin1', start, end));
    this.integerLiteral = integerLiteral;
    return value;
  }

  /** pandas reads inf and infinity (any case, with a sign) as infinities; so do we. */
  private infinity(bytes: Buffer, start: number, end: number): number {
    let sign = 1;
    if (bytes[start] === MINUS || bytes[start] === PLUS) {
      sign = bytes[start] === MINUS ? -1 : 1;
      start++;
    }
    const length = end - start;
    if (length !== 3 && length !== 8) return NaN;
    if (!INFINITY_WORDS.includes(bytes.toString('latin1', start, end).toLowerCase())) return NaN;
    this.integerLiteral = false;
    return sign * Infinity;
  }
}
