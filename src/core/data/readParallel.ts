import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readTable, type ReadOptions } from './read';
import type { ReadReply, ReadRequest } from './readWorker';
import { DataError, type Table } from './types';

/** dist/readWorker.js, beside the bundle this code runs from; absent when run from source. */
const WORKER_FILE = path.join(__dirname, 'readWorker.js');

/**
 * Reads a file in a worker thread of its own, so that a second file can be read at the same time
 * in this one. Run from source (tests through tsx) there is no built worker, and the file is
 * read here instead: slower, the same table.
 */
export function readTableAside(
  file: string,
  options: ReadOptions = {},
  extra: { sortNumbers?: boolean } = {},
): Promise<Table> {
  if (!existsSync(WORKER_FILE)) return readTable(file, options);
  options.signal?.throwIfAborted();
  const { signal, onProgress, ...plain } = options;

  return new Promise<Table>((resolve, reject) => {
    const worker = new Worker(WORKER_FILE);
    const abort = () => {
      void worker.terminate();
      reject(signal?.reason ?? new DOMException('The read was aborted', 'AbortError'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    const finish = () => {
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
    };
    worker.on('message', (reply: ReadReply) => {
      if (reply.kind === 'progress') return onProgress?.(reply.bytesRead, reply.totalBytes);
      finish();
      if (reply.kind === 'table') resolve(reply.table);
      else reject(replyError(reply));
    });
    worker.on('error', (error) => {
      finish();
      reject(error);
    });
    worker.postMessage({ path: file, options: plain, ...extra } satisfies ReadRequest);
  });
}

function replyError(reply: Extract<ReadReply, { kind: 'error' }>): Error {
  if (!reply.dataError) return new Error(reply.message);
  // The message already starts with path:line:column; rebuild the error without repeating it.
  const error = new DataError('', { path: reply.path ?? '' });
  error.message = reply.message;
  Object.assign(error, { line: reply.line, column: reply.column });
  return error;
}
