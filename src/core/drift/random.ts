/**
 * A seedable source of uniform numbers in [0, 1), for permutation tests, subsampling and KSWIN.
 * Math.random cannot be seeded, and a drift report must come out the same for the same --seed,
 * so every random draw in the drift engine goes through one of these.
 */
export type RandomSource = () => number;

/**
 * Mulberry32: a 32-bit state generator, fast and well distributed for what it is used for here
 * (shuffles of at most a few million items). Not for cryptography.
 */
export function createRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, bound), bound at most 2^32. */
export function randomInt(random: RandomSource, bound: number): number {
  return Math.floor(random() * bound);
}

/** Fisher-Yates shuffle in place: every permutation equally likely. */
export function shuffleInPlace<T extends { length: number; [index: number]: number }>(
  values: T,
  random: RandomSource,
): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const swap = values[i];
    values[i] = values[j];
    values[j] = swap;
  }
  return values;
}
