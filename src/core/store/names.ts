import { randomBytes, randomInt } from 'node:crypto';

// Run names in MLflow's manner, adjective-noun-number, so imported and new runs look alike.
// prettier-ignore
const adjectives = [
  'amazing', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'dapper', 'eager', 'fair',
  'gentle', 'glad', 'honest', 'jolly', 'keen', 'kind', 'lively', 'lucky', 'merry', 'nimble',
  'polite', 'quick', 'quiet', 'rare', 'sleek', 'smart', 'steady', 'sunny', 'swift', 'tidy',
  'upbeat', 'vivid', 'warm', 'wise', 'witty', 'zesty',
];
// prettier-ignore
const nouns = [
  'ant', 'bass', 'bat', 'bear', 'bee', 'carp', 'cat', 'colt', 'crab', 'crow', 'deer', 'doe',
  'eel', 'elk', 'finch', 'fox', 'frog', 'goat', 'gull', 'hare', 'hawk', 'heron', 'jay', 'koi',
  'lark', 'lynx', 'mole', 'moth', 'newt', 'owl', 'panda', 'pike', 'quail', 'ram', 'seal', 'shrew',
  'slug', 'snail', 'stoat', 'swan', 'toad', 'trout', 'vole', 'wasp', 'wolf', 'wren', 'yak',
];

export function randomRunName(): string {
  const pick = <T>(list: T[]) => list[randomInt(list.length)];
  return `${pick(adjectives)}-${pick(nouns)}-${randomInt(1000)}`;
}

/** A run id as MLflow makes them: uuid4 as 32 lowercase hex characters. */
export function newRunId(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  return bytes.toString('hex');
}
