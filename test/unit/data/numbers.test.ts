import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NumberParser } from '../../../src/core/data/numbers';
import { WideDecimal } from '../../../src/core/data/wideDecimal';
import { createRandom } from '../../../src/core/drift/random';

const parser = new NumberParser();

function parse(text: string): number {
  const bytes = Buffer.from(text, 'latin1');
  return parser.parse(bytes, 0, bytes.length);
}

/** Every text must give exactly the double Number() gives (Object.is: -0 and NaN too). */
function assertLikeNumber(texts: string[]) {
  const wrong = texts.filter((text) => !Object.is(parse(text), Number(text)));
  assert.deepEqual(
    wrong.slice(0, 5),
    [],
    `${wrong.length} of ${texts.length} differ from Number()`,
  );
}

test('short decimals, signs, exponents and blanks parse as Number() parses them', () => {
  assertLikeNumber([
    '0',
    '-0',
    '+0',
    '0.1',
    '-0.0',
    '+.5',
    '5.',
    '.5e1',
    '1E5',
    '1e+05',
    '2.5e-3',
    '007',
    ' 7',
    '7\t',
    '123456789012345',
    '9007199254740992',
    '0.000001',
    '1e22',
    '1e23',
    '1e-22',
    '1e-23',
  ]);
});

test('long and extreme decimals parse as Number() parses them', () => {
  assertLikeNumber([
    '0.30000000000000004',
    '9007199254740993',
    '9007199254740993.0',
    '18014398509481985.0',
    '1.2345678901234567e-10',
    '0.1000000000000000055511151231257827',
    '123456789012345678901234567890',
    '1.7976931348623157e308',
    '1e400',
    '2.2250738585072014e-308',
    '4.9e-324',
    '1e-400',
    '99999999999999999999.5',
  ]);
});

test('text that is not a decimal as pandas reads it is not a number', () => {
  for (const text of [
    '',
    ' ',
    '-',
    '+',
    '.',
    'e5',
    '1e',
    '1e+',
    '0x10',
    '0b1',
    '1_000',
    '1,5',
    '--1',
  ]) {
    assert.ok(Number.isNaN(parse(text)), JSON.stringify(text));
  }
  for (const text of ['1.2.3', '1 5', 'nan', 'NaN', 'abc', 'infinite', 'in', '12abc']) {
    assert.ok(Number.isNaN(parse(text)), JSON.stringify(text));
  }
});

test('inf and infinity in any case and with a sign are infinities', () => {
  const values = ['inf', '+inf', '-inf', 'INF', 'Inf', 'infinity', '-Infinity', 'INFINITY'].map(
    parse,
  );

  assert.deepEqual(values, [
    Infinity,
    Infinity,
    -Infinity,
    Infinity,
    Infinity,
    Infinity,
    -Infinity,
    Infinity,
  ]);
});

test('integerLiteral tells digits-only numbers from those with a point or an exponent', () => {
  const literal = (text: string) => (parse(text), parser.integerLiteral);

  assert.deepEqual(
    ['12', '-3', '+4', '12345678901234567890', '1.0', '1e3', '1.', 'inf', ' 5 '].map(literal),
    [true, true, true, true, false, false, false, false, true],
  );
});

test('shortest representations of random doubles parse back to the same doubles', () => {
  const random = createRandom(11);
  const texts: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const magnitude = 10 ** Math.floor(random() * 16 - 6);
    texts.push(String((random() - 0.5) * magnitude));
  }

  assertLikeNumber(texts);
});

test('random decimals of 16 to 19 significant digits parse as Number() parses them', () => {
  const random = createRandom(12);
  const texts: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const digits = randomDigits(random, 16 + Math.floor(random() * 4));
    const point = Math.floor(random() * (digits.length + 1));
    const zeros = '0'.repeat(Math.floor(random() * 3));
    texts.push(`${digits.slice(0, point)}.${digits.slice(point)}`);
    texts.push(`-0.${zeros}${digits}`);
    texts.push(`${digits.slice(0, 1)}.${digits.slice(1)}e-${Math.floor(random() * 6)}`);
  }

  assertLikeNumber(texts);
});

test('decimals within one unit of the 19th digit of a halfway point parse as Number() does', () => {
  const random = createRandom(13);
  const texts: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const value = random() * 10 ** Math.floor(random() * 8 - 3);
    texts.push(...nearHalfway(value));
  }

  assertLikeNumber(texts);
});

test('the wide path gives proved quotients and declines ties, powers of two and over 19 digits', () => {
  const wide = new WideDecimal();
  const quotient = (digits: string, k: number) => {
    const bytes = Buffer.from(digits, 'latin1');
    return wide.nearestQuotient(bytes, 0, bytes.length, k);
  };

  assert.equal(quotient('30000000000000004', 17), 0.30000000000000004);
  assert.equal(quotient('12345678901234567', 10), 1234567.8901234567);
  // 2^53 + 1 lies halfway between two doubles: a tie, left to Number().
  assert.equal(quotient('90071992547409930', 1), -1);
  // 2^54 is a power of two, whose neighbours are not equally far: declined.
  assert.equal(quotient('180143985094819840', 1), -1);
  // More than 19 significant digits: declined.
  assert.equal(quotient('12345678901234567890', 5), -1);
});

function randomDigits(random: () => number, count: number): string {
  let digits = String(1 + Math.floor(random() * 9));
  while (digits.length < count) digits += String(Math.floor(random() * 10));
  return digits;
}

/**
 * Decimal texts of 17, 18 and 19 significant digits at, just below and just above the exact
 * midpoint between `value` and the next double: the inputs where rounding is hardest.
 */
function nearHalfway(value: number): string[] {
  const next = nextDouble(value);
  const scale = 1100n;
  const halfway = (exactScaled(value, scale) + exactScaled(next, scale)) / 2n;
  const decimal = (halfway * 10n ** 60n) >> scale;
  const text = decimal.toString().padStart(61, '0');
  const integerDigits = text.length - 60;
  const significantStart = text.search(/[1-9]/);

  const texts: string[] = [];
  for (const keep of [17, 18, 19]) {
    const kept = BigInt(text.slice(0, significantStart + keep));
    for (const delta of [-1n, 0n, 1n]) {
      const digits = (kept + delta).toString().padStart(significantStart + keep, '0');
      texts.push(`${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`);
    }
  }
  return texts;
}

function nextDouble(value: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

/** value × 2^scale exactly, as a BigInt (value positive and normal). */
function exactScaled(value: number, scale: bigint): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const exponent = (bits >> 52n) & 0x7ffn;
  const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const shift = exponent - 1075n + scale;
  return shift >= 0n ? mantissa << shift : mantissa >> -shift;
}
