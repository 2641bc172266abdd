import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as vscode from 'vscode';
import { registerRun } from '../../../src/core/deploy';
import type { RunStore } from '../../../src/core/store/store';
import type { Services } from '../../../src/vscode/services';
import { LOGISTIC_MODEL, writeArtifacts } from '../deploy/helpers';

/**
 * A registered model for the deploy commands' tests: a run in the experiment "churn" whose
 * artifacts hold the JSON logistic model of test/unit/deploy/helpers, registered as churn v1.
 */
export function registerChurn(store: RunStore, files?: Record<string, string>) {
  const experimentId = store.createExperiment('churn');
  const run = store.createRun({ experimentId, startTime: Date.now() });
  const runId = run.info.runId;
  const model = files ?? { 'model/model.json': JSON.stringify(LOGISTIC_MODEL) };
  const folder = path.join(writeArtifacts(store, runId, model), 'model');
  const { version } = registerRun(store, runId, { name: 'churn' });
  const node = { data: { kind: 'modelVersion', name: 'churn', version: version.version } };
  return { experimentId, runId, folder, version, node };
}

/** The services of a window that owns this store. */
export function servicesFor(store: RunStore | undefined): Services {
  return {
    context: { workspaceState: memento() },
    tracking: { start: async () => undefined, runStore: store, state: store ? 'open' : 'none' },
  } as unknown as Services;
}

/** Replaces a member of the fake module for one test. */
export function stub<T extends object, K extends keyof T>(
  t: { after(fn: () => void): void },
  target: T,
  key: K,
  value: unknown,
) {
  const original = target[key];
  target[key] = value as T[K];
  t.after(() => (target[key] = original));
}

/** A data file for the logistic model: rows of x and color. */
export function writeRows(file: string, rows: Array<[number, string]>): string {
  writeFileSync(
    file,
    ['id,x,color', ...rows.map(([x, color], i) => `r${i},${x},${color}`)].join('\n') + '\n',
  );
  return file;
}

function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}
