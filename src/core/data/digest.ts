/**
 * The sha256 of a data file, which the store keeps with each drift check so that a check can be
 * told apart from one made on a file that has since changed under the same path.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Bytes hashed at a time: data files reach gigabytes, and only this much is held at once. */
export const DIGEST_CHUNK_BYTES = 1 << 20;

/**
 * The file's sha256 as 64 lowercase hex characters, read one chunk at a time. Rejects with the
 * signal's reason when it is aborted, checked before every chunk.
 */
export async function fileDigest(path: string, signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(DIGEST_CHUNK_BYTES);
    for (;;) {
      signal?.throwIfAborted();
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }

  return hash.digest('hex');
}
