import * as path from 'node:path';
import type { DriftWorkerClient } from '../../core/drift/client';
import { core } from '../core';
import type { DisposableScope } from '../disposable';
import type { Services } from '../services';

export type DriftCheckClient = Pick<DriftWorkerClient, 'check'>;

let client: DriftWorkerClient | undefined;

/**
 * The drift worker of this window: a thread (dist/driftWorker.js) that reads and tests the files
 * so the extension host stays responsive while a large file is checked. Started on the first
 * check, kept for the next, stopped with the extension.
 */
export function driftWorker(services: Services): DriftCheckClient {
  client ??= new (core().drift.DriftWorkerClient)(
    path.join(services.context.extensionPath, 'dist', 'driftWorker.js'),
  );
  return client;
}

export function registerDriftWorker(scope: DisposableScope): void {
  scope.track({
    dispose: () => {
      void client?.dispose();
      client = undefined;
    },
  });
}
