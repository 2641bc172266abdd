import * as path from 'node:path';
import type { RunStore } from '../store/store';

export interface TrainingData {
  path: string;
  datasetName: string;
}

/**
 * The data a model version was trained on: the dataset input of its source run, preferring the
 * one whose context is "training", whose source is a local file (MLflow writes {"uri": ...}, a
 * plain path or a file:// URI). The editor and `model-factory drift models:/...` both use it.
 */
export function trainingDataOf(
  store: RunStore,
  name: string,
  version: string,
): TrainingData | undefined {
  const runId = store.getModelVersion(name, version).runId;
  if (!runId) return undefined;
  const inputs = store.getRun(runId).inputs.datasetInputs;
  const context = (tags: { key: string; value: string }[]) =>
    tags.find((tag) => tag.key === 'mlflow.data.context')?.value;
  const ordered = [...inputs].sort(
    (a, b) => Number(context(b.tags) === 'training') - Number(context(a.tags) === 'training'),
  );
  for (const input of ordered) {
    const file = localPath(input.dataset.source);
    if (file) return { path: file, datasetName: input.dataset.name };
  }
  return undefined;
}

function localPath(source: string): string | undefined {
  let uri = source;
  try {
    const parsed = JSON.parse(source) as { uri?: unknown; path?: unknown };
    uri = String(parsed.uri ?? parsed.path ?? '');
  } catch {
    // Not JSON: the source is the path itself.
  }
  if (uri.startsWith('file://')) uri = decodeURIComponent(new URL(uri).pathname);
  return path.isAbsolute(uri) ? uri : undefined;
}
