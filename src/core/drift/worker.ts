import { parentPort } from 'node:worker_threads';
import { DataError } from '../data/types';
import { checkDrift, type DriftCheckRequest } from './check';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

/**
 * The drift worker: reads datasets and computes drift reports off the extension host's event
 * loop. Each request carries an id; progress and the result or error come back under it. A
 * cancel message aborts the job at its next check (between file chunks and between columns).
 * A job it does not know gets an error reply rather than silence, so no caller waits forever.
 */
const running = new Map<number, AbortController>();

function reply(message: WorkerReply): void {
  parentPort?.postMessage(message);
}

async function check(id: number, request: DriftCheckRequest): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const report = await checkDrift(request, {
      signal: controller.signal,
      onProgress: (progress) => reply({ id, kind: 'progress', progress }),
    });
    reply({ id, kind: 'result', report });
  } catch (error) {
    reply({ id, kind: 'error', ...describe(error, controller.signal.aborted) });
  } finally {
    running.delete(id);
  }
}

function describe(error: unknown, aborted: boolean) {
  if (aborted) return { code: 'cancelled' as const, message: 'the drift check was cancelled' };
  if (error instanceof DataError) return { code: 'input' as const, message: error.message };
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { code: 'internal' as const, message };
}

parentPort?.on('message', (message: WorkerRequest) => {
  switch (message.job) {
    case 'ping':
      reply({ id: message.id, kind: 'result', report: null });
      return;
    case 'check':
      void check(message.id, message.request);
      return;
    case 'cancel':
      running.get(message.target)?.abort();
      return;
    default: {
      const unknown = message as { id: number; job: unknown };
      reply({
        id: unknown.id,
        kind: 'error',
        code: 'internal',
        message: `unknown drift job '${String(unknown.job)}'`,
      });
    }
  }
});
