import { parentPort } from 'node:worker_threads';

/**
 * The drift worker: reads datasets and computes drift reports off the extension host's event
 * loop. Each request names a job; a job it does not know gets an error reply rather than
 * silence, so the caller never waits forever.
 */
interface JobRequest {
  id: number;
  job: string;
}

const jobs: Record<string, (request: JobRequest) => unknown> = {
  ping: () => ({ pong: true }),
};

parentPort?.on('message', (request: JobRequest) => {
  const run = jobs[request.job];
  if (!run) {
    parentPort?.postMessage({ id: request.id, error: `unknown drift job '${request.job}'` });
    return;
  }
  try {
    parentPort?.postMessage({ id: request.id, result: run(request) });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: String(error) });
  }
});
