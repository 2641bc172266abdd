import { parentPort } from 'node:worker_threads';
import { readTable, type ReadOptions } from './read';
import { finiteSorted } from './sorted';
import { DataError } from './types';

/**
 * A worker thread that reads one data file into a table (dist/readWorker.js). A drift check
 * reads its two files at once, one here and one in its own thread, since parsing is the larger
 * half of a big check and the machine has more than one core. The columns' buffers are
 * transferred back, not copied.
 */
export type ReadRequest = {
  path: string;
  options: Omit<ReadOptions, 'signal' | 'onProgress'>;
  /** Also sort each numeric column's finite values here (see NumericColumn.sorted). */
  sortNumbers?: boolean;
};

export type ReadReply =
  | { kind: 'progress'; bytesRead: number; totalBytes: number }
  | { kind: 'table'; table: Awaited<ReturnType<typeof readTable>> }
  | {
      kind: 'error';
      dataError: boolean;
      message: string;
      path?: string;
      line?: number;
      column?: number;
    };

parentPort?.once('message', async (request: ReadRequest) => {
  const post = (reply: ReadReply, transfer: ArrayBuffer[] = []) =>
    parentPort?.postMessage(reply, transfer);
  try {
    const table = await readTable(request.path, {
      ...request.options,
      onProgress: (bytesRead, totalBytes) => post({ kind: 'progress', bytesRead, totalBytes }),
    });
    const buffers = new Set<ArrayBuffer>();
    for (const column of table.columns) {
      if (column.type === 'number' && request.sortNumbers) {
        column.sorted = finiteSorted(column.values);
        buffers.add(column.sorted.values.buffer as ArrayBuffer);
      }
      buffers.add((column.type === 'number' ? column.values : column.codes).buffer as ArrayBuffer);
    }
    post({ kind: 'table', table }, [...buffers]);
  } catch (error) {
    const dataError = error instanceof DataError;
    post({
      kind: 'error',
      dataError,
      message: error instanceof Error ? error.message : String(error),
      ...(dataError ? { path: error.path, line: error.line, column: error.column } : {}),
    });
  }
});
