/**
 * Sorting of finite doubles, in place, by a least-significant-digit radix sort on their bits.
 *
 * Every numerical column of a drift check is sorted once per side, and with V8's
 * Float64Array.prototype.sort at about 110 ms per million values that was two thirds of a
 * 1,000,000-row report's test time (bench/drift.ts). Four 16-bit passes over the IEEE 754 bit
 * patterns, skipping a pass whose digit is the same for every value, take a fraction of that.
 * Below a few thousand values the built-in sort is as fast, so it is used there.
 */
const RADIX_MIN = 4096;
/** 16-bit digits: four passes. 11-bit digits (six passes) measured slower on a million values. */
const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
const MASK = BUCKETS - 1;
/** The passes, as (word, shift): low word first, as LSD radix sorting needs. */
const PASSES: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [0, 16],
  [1, 0],
  [1, 16],
];

export function sortFinite(values: Float64Array): Float64Array {
  if (values.length < RADIX_MIN) return values.sort();
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  toOrderedBits(words);
  radixSort(words);
  fromOrderedBits(words);
  return values;
}

/**
 * Maps each double's bits to an unsigned key that sorts the same way: negatives have every bit
 * flipped (so larger magnitudes come first), positives only the sign bit. Little-endian: the
 * high word of value i is words[2i + 1].
 */
function toOrderedBits(words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const high = words[i + 1];
    if (high & 0x80000000) {
      words[i] = ~words[i];
      words[i + 1] = ~high;
    } else {
      words[i + 1] = high | 0x80000000;
    }
  }
}

function fromOrderedBits(words: Uint32Array): void {
  for (let i = 0; i < words.length; i += 2) {
    const high = words[i + 1];
    if (high & 0x80000000) {
      words[i + 1] = high & 0x7fffffff;
    } else {
      words[i] = ~words[i];
      words[i + 1] = ~high;
    }
  }
}

/** Sorts the (low, high) word pairs as 64-bit unsigned keys, 16 bits a pass, stable. */
function radixSort(words: Uint32Array): void {
  const n = words.length / 2;
  let source: Uint32Array = words;
  let target: Uint32Array = new Uint32Array(words.length);
  const counts = new Uint32Array(BUCKETS);
  for (const [word, shift] of PASSES) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(source[2 * i + word] >>> shift) & MASK]++;
    // A digit that every key shares (the exponent's bits, for values of one scale) moves nothing.
    if (counts[(source[word] >>> shift) & MASK] === n) continue;

    let offset = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const count = counts[b];
      counts[b] = offset;
      offset += count;
    }
    for (let i = 0; i < n; i++) {
      const low = source[2 * i];
      const high = source[2 * i + 1];
      const at = 2 * counts[((word === 0 ? low : high) >>> shift) & MASK]++;
      target[at] = low;
      target[at + 1] = high;
    }
    const swap = source;
    source = target;
    target = swap;
  }
  if (source !== words) words.set(source);
}
