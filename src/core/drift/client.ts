import { Worker } from 'node:worker_threads';
import type { DriftCheckRequest } from './check';
import type { DriftProgress, DriftReport } from './types';
import type { WorkerReply, WorkerRequest } from './workerProtocol';

/** A drift check that failed in the worker, with why: the user's input, a cancel, or a bug. */
export class DriftCheckError extends Error {
  override readonly name = 'DriftCheckError';
  constructor(
    readonly code: 'cancelled' | 'input' | 'internal',
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(report: DriftReport | null): void;
  reject(error: Error): void;
  onProgress?: (progress: DriftProgress) => void;
}

/**
 * Runs drift checks in a worker thread (dist/driftWorker.js) so the caller's event loop stays
 * free while a large file is read and tested. The worker starts on the first check and is
 * kept for the next; a worker that dies fails every pending check instead of leaving it hanging.
 */
export class DriftWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly workerFile: string) {}

  async check(
    request: DriftCheckRequest,
    hooks: { onProgress?: (progress: DriftProgress) => void; signal?: AbortSignal } = {},
  ): Promise<DriftReport> {
    hooks.signal?.throwIfAborted();
    const id = this.nextId++;
    const cancel = () => this.post({ id: this.nextId++, job: 'cancel', target: id });
    hooks.signal?.addEventListener('abort', cancel, { once: true });
    try {
      const report = await this.send({ id, job: 'check', request }, hooks.onProgress);
      return report!;
    } finally {
      hooks.signal?.removeEventListener('abort', cancel);
    }
  }

  /** Stops the worker; pending checks fail as cancelled. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new DriftCheckError('cancelled', 'the drift worker was stopped'));
    await worker?.terminate();
  }

  private send(message: WorkerRequest, onProgress?: Pending['onProgress']) {
    return new Promise<DriftReport | null>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject, onProgress });
      this.post(message);
      this.worker?.ref();
    });
  }

  private post(message: WorkerRequest): void {
    this.start().postMessage(message);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerFile);
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.failAll(new DriftCheckError('internal', error.message)));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new DriftCheckError('internal', `the drift worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.kind === 'progress') {
      pending.onProgress?.(reply.progress);
      return;
    }
    this.pending.delete(reply.id);
    // An idle worker must not keep a CLI or a test process alive on its own.
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.kind === 'result') pending.resolve(reply.report);
    else pending.reject(new DriftCheckError(reply.code, reply.message));
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const entry of pending) entry.reject(error);
  }
}
