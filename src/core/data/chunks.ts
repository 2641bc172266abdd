/**
 * Reads a text file in chunks, so a file of several gigabytes costs one buffer, not its size.
 * The consumer takes whole records from the front of the buffer and says how many bytes it
 * took; what is left (a record cut by the chunk's end) is moved to the front and the next
 * chunk is read after it. A record longer than the buffer makes the buffer grow.
 */
import { open } from 'node:fs/promises';
import { DataError } from './types';

export interface ChunkOptions {
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Bytes read at a time; small values are for tests of records cut between chunks. */
  chunkSize?: number;
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;

/** Returned by a consumer that has all it needs. */
export const STOP = -1;

/**
 * Calls consume with the bytes [0, filled) of the buffer, after a UTF-8 byte order mark is
 * skipped; consume returns how many bytes from the front it used, or STOP.
 */
export type ChunkConsumer = (bytes: Buffer, filled: number, atEnd: boolean) => number;

export async function readChunks(
  path: string,
  options: ChunkOptions,
  consume: ChunkConsumer,
): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const totalBytes = (await handle.stat()).size;
    let buffer: Buffer = Buffer.allocUnsafe(Math.max(options.chunkSize ?? DEFAULT_CHUNK_SIZE, 4));
    let filled = 0;
    let position = 0;
    let first = true;
    for (;;) {
      options.signal?.throwIfAborted();
      if (filled === buffer.length) buffer = grown(buffer, filled);
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position);
      checkText(path, buffer, filled, filled + bytesRead, position);
      position += bytesRead;
      filled += bytesRead;
      const atEnd = bytesRead === 0 || position >= totalBytes;
      if (first && filled < 3 && !atEnd) continue;

      let start = 0;
      if (first) {
        start = byteOrderMark(path, buffer, filled);
        first = false;
      }
      const used = consume(buffer.subarray(start, filled), filled - start, atEnd);
      options.onProgress?.(position, totalBytes);
      if (used === STOP || atEnd) return;
      buffer.copyWithin(0, start + used, filled);
      filled -= start + used;
    }
  } finally {
    await handle.close();
  }
}

function grown(buffer: Buffer, filled: number): Buffer {
  const larger = Buffer.allocUnsafe(buffer.length * 2);
  buffer.copy(larger, 0, 0, filled);
  return larger;
}

/** Bytes to skip for a UTF-8 byte order mark; UTF-16 text is refused with what to do. */
function byteOrderMark(path: string, buffer: Buffer, filled: number): number {
  if (filled >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return 3;
  if (
    filled >= 2 &&
    ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff))
  ) {
    throw new DataError(
      `${path} is UTF-16 text, which is not read here. Save it as UTF-8 and check again.`,
      { path },
    );
  }
  return 0;
}

/** A NUL byte means the file is not text; say what it looks like instead, if we can tell. */
function checkText(path: string, buffer: Buffer, start: number, end: number, offset: number) {
  const nul = buffer.subarray(start, end).indexOf(0);
  if (nul < 0) return;
  if (offset === 0) byteOrderMark(path, buffer, end);
  const parquet = offset === 0 && buffer.subarray(0, 4).toString('latin1') === 'PAR1';
  const hint = parquet
    ? 'It looks like a Parquet file: give it a .parquet extension.'
    : 'Choose a CSV, TSV, JSON Lines or Parquet file.';
  throw new DataError(`${path} is not a text file (byte ${offset + nul} is NUL). ${hint}`, {
    path,
  });
}
