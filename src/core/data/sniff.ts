/**
 * Guesses the delimiter of a .txt file from its first lines: the candidate that splits every
 * sampled line into the same number of fields, and the most of them.
 */
import { open } from 'node:fs/promises';

const CANDIDATES = [',', '\t', ';', '|'];
const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_LINES = 20;

export async function sniffDelimiter(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    return chooseDelimiter(buffer.toString('utf8', 0, bytesRead), bytesRead < SAMPLE_BYTES);
  } finally {
    await handle.close();
  }
}

/**
 * The delimiter for a sample of text, or undefined when no candidate splits it. Unless the
 * sample is the whole file, its last line may be cut short and is left out.
 */
export function chooseDelimiter(sample: string, complete = true): string | undefined {
  const lines = sample.split(/\r\n|\n|\r/);
  if (!complete && lines.length > 1) lines.pop();
  const sampled = lines.filter((line) => line !== '').slice(0, SAMPLE_LINES);

  let best: string | undefined;
  let bestCount = 0;
  for (const candidate of CANDIDATES) {
    const counts = sampled.map((line) => countOutsideQuotes(line, candidate));
    const consistent = counts.every((count) => count === counts[0]);
    if (consistent && counts[0] > bestCount) {
      best = candidate;
      bestCount = counts[0];
    }
  }
  return best;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}
