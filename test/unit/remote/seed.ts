import * as fs from 'node:fs';
import path from 'node:path';
import type { RunStore } from '../../../src/core/store/store';
import { runArtifactLocation } from '../../../src/core/tracking/artifacts';

export interface Seeded {
  experimentId: string;
  baseline: string;
  child: string;
  other: string;
  /** Points of the long metric `loss` of the baseline run. */
  points: number;
}

/** Puts `files` (path → content) in a run's artifact folder, as a client's uploads would. */
export function writeArtifacts(store: RunStore, runId: string, files: Record<string, Buffer>) {
  const { root, segments } = runArtifactLocation(
    store.artifactsDir,
    store.getRun(runId).info.artifactUri,
  );
  for (const [relative, bytes] of Object.entries(files)) {
    const file = path.join(root, ...segments, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  }
}

/** Bytes that differ from each other, so a file mixed up with another shows. */
function bytes(size: number, seed: number): Buffer {
  const buffer = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buffer[i] = (i * 31 + seed * 7) % 251;
  return buffer;
}

/**
 * A store as a user has it after some work: an experiment with a baseline run (a 5,000-point
 * loss, NaN and infinite values, params, tags, a dataset input, artifacts in folders), a run
 * nested in it, a second experiment, and a registered model with two versions, tags and aliases.
 */
export function seedStore(store: RunStore, points = 5000): Seeded {
  const experimentId = store.createExperiment('houses', undefined, [{ key: 'team', value: 'ml' }]);
  const baseline = store.createRun({ experimentId, runName: 'baseline', startTime: 1_000 }).info
    .runId;
  store.logBatch(baseline, {
    params: [
      { key: 'alpha', value: '0.5' },
      { key: 'model', value: 'ridge' },
    ],
    tags: [{ key: 'mlflow.note.content', value: 'first try' }],
  });
  for (let start = 0; start < points; start += 1000) {
    const metrics = Array.from({ length: Math.min(1000, points - start) }, (_, i) => ({
      key: 'loss',
      value: 1 / (start + i + 1),
      timestamp: 10_000 + start + i,
      step: start + i,
    }));
    store.logBatch(baseline, { metrics });
  }
  store.logBatch(baseline, {
    metrics: [
      { key: 'rmse', value: NaN, timestamp: 5, step: 0 },
      { key: 'rmse', value: Infinity, timestamp: 6, step: 1 },
      { key: 'rmse', value: 0.41, timestamp: 7, step: 2 },
    ],
  });
  store.logInputs(baseline, [
    {
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: {
        name: 'houses-2024',
        digest: 'a1b2c3',
        sourceType: 'local',
        source: '{"uri": "data/houses.csv"}',
        schema: '{"mlflow_colspec": [{"type": "double", "name": "price"}]}',
        profile: '{"num_rows": 1200}',
      },
    },
  ]);
  writeArtifacts(store, baseline, {
    'model/MLmodel': Buffer.from('flavors:\n  sklearn: {}\n'),
    'model/weights.bin': bytes(70_000, 1),
    'notes/readme.txt': Buffer.from('baseline notes'),
  });
  store.updateRun(baseline, { status: 'FINISHED', endTime: 90_000 });

  const child = store.createRun({
    experimentId,
    runName: 'fold-1',
    startTime: 2_000,
    tags: [{ key: 'mlflow.parentRunId', value: baseline }],
  }).info.runId;
  store.logBatch(child, {
    metrics: Array.from({ length: 10 }, (_, i) => ({
      key: 'acc',
      value: i / 10,
      timestamp: i,
      step: i,
    })),
  });
  writeArtifacts(store, child, { 'model/weights.bin': bytes(1_000, 2) });
  store.updateRun(child, { status: 'FAILED', endTime: 3_000 });

  const otherExperiment = store.createExperiment('prices');
  const other = store.createRun({ experimentId: otherExperiment, runName: 'other' }).info.runId;
  store.logParam(other, { key: 'depth', value: '3' });

  store.createRegisteredModel('house-price', [{ key: 'owner', value: 'ml' }], 'predicts prices');
  const baselineUri = store.getRun(baseline).info.artifactUri;
  store.createModelVersion({
    name: 'house-price',
    source: `${baselineUri}/model`,
    runId: baseline,
    tags: [{ key: 'validated', value: 'yes' }],
    description: 'the first',
  });
  store.createModelVersion({ name: 'house-price', source: `runs:/${child}/model`, runId: child });
  store.setAlias('house-price', 'champion', '1');
  store.setAlias('house-price', 'challenger', '2');
  return { experimentId, baseline, child, other, points };
}
