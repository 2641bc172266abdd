import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importMlflow } from '../../../src/core/tracking/import';
import { openTempStore, recordingLogger, tempDir } from '../../helpers/tempStore';
import { RUNS, writeMlruns } from '../../fixtures/import/mlrunsFixture';
import { copyFixture, files, FIXTURE, rowCounts } from './helpers';

async function setUp() {
  const temp = tempDir();
  const target = await openTempStore();
  return {
    ...target,
    source: copyFixture(temp.dir),
    temp: temp.dir,
    async dispose() {
      await target.dispose();
      temp.remove();
    },
  };
}

test('importing the same mlruns folder twice adds nothing the second time', async (t) => {
  const { store, source, dispose } = await setUp();
  t.after(dispose);
  await importMlflow(store, source);
  const before = rowCounts(store);
  const artifacts = files(store.artifactsDir);

  const summary = await importMlflow(store, source);

  assert.deepEqual(rowCounts(store), before);
  assert.deepEqual(files(store.artifactsDir), artifacts);
  assert.deepEqual(summary, {
    experiments: 0,
    runs: 0,
    skippedRuns: 8,
    metrics: 0,
    params: 0,
    tags: 0,
    models: 0,
    versions: 0,
    artifacts: 0,
  });
});

test('an experiment id taken in the store maps to a new id, and its runs follow', async (t) => {
  const { store, source, dispose } = await setUp();
  t.after(dispose);
  store.createExperiment('someone-else');

  const summary = await importMlflow(store, source);

  // Ids 0 and 1 are taken, 7 is kept; house-prices and big-ids get the next free ones.
  assert.equal(summary.experiments, 3);
  assert.equal(store.getExperimentByName('someone-else').experimentId, '1');
  assert.equal(store.getExperimentByName('house-prices').experimentId, '8');
  assert.equal(store.getExperimentByName('big-ids').experimentId, '9');
  assert.equal(store.getExperimentByName('abandoned').experimentId, '7');
  const run = store.getRun(RUNS.finished).info;
  assert.equal(run.experimentId, '8');
  assert.equal(run.artifactUri, `mlflow-artifacts:/8/${RUNS.finished}/artifacts`);
  assert.deepEqual(files(path.join(store.artifactsDir, '8', RUNS.finished, 'artifacts')), [
    'model/MLmodel',
  ]);
  assert.equal(
    store.getModelVersion('churn-model', 2).source,
    `mlflow-artifacts:/8/${RUNS.finished}/artifacts/model`,
  );
});

test('an experiment of the same name is reused, keeping its own tag values', async (t) => {
  const { store, source, dispose } = await setUp();
  t.after(dispose);
  store.createExperiment('first');
  const id = store.createExperiment('house-prices', undefined, [
    { key: 'team/name', value: 'mine' },
  ]);

  const summary = await importMlflow(store, source);

  assert.equal(id, '2');
  assert.equal(summary.experiments, 2);
  assert.equal(store.getRun(RUNS.running).info.experimentId, '2');
  const tags = store.getExperiment(id).tags.sort((a, b) => a.key.localeCompare(b.key));
  assert.deepEqual(tags, [
    { key: 'mlflow.note.content', value: 'Predicts prices' },
    { key: 'team/name', value: 'mine' },
  ]);
});

test('a model of the same name keeps its versions and gains the missing ones', async (t) => {
  const { store, source, dispose } = await setUp();
  t.after(dispose);
  store.createRegisteredModel('churn-model', [], 'mine');
  store.createModelVersion({ name: 'churn-model', source: 's3://bucket/model' });
  const logger = recordingLogger();

  const summary = await importMlflow(store, source, { logger });

  assert.deepEqual([summary.models, summary.versions], [0, 2]);
  const model = store.getRegisteredModel('churn-model');
  assert.equal(model.description, 'mine');
  assert.equal(store.getModelVersion('churn-model', 1).source, 's3://bucket/model');
  assert.equal(store.getModelVersion('churn-model', 2).currentStage, 'Production');
  assert.deepEqual(model.aliases, [{ alias: 'champion', version: '2' }]);
  assert.ok(logger.lines.some((l) => /churn-model version 1 already exists/.test(l)));
});

test('a run whose artifact URI names a folder that exists is copied from there', async (t) => {
  const { store, source, temp, dispose } = await setUp();
  t.after(dispose);
  const elsewhere = path.join(temp, 'shared-artifacts', RUNS.scheduled);
  fs.mkdirSync(path.join(elsewhere, 'plots'), { recursive: true });
  fs.writeFileSync(path.join(elsewhere, 'plots', 'roc.svg'), '<svg/>');
  const meta = path.join(source, '1', RUNS.scheduled, 'meta.yaml');
  const text = fs
    .readFileSync(meta, 'utf8')
    .replace(/^artifact_uri: .*$/m, `artifact_uri: ${elsewhere}`);
  fs.writeFileSync(meta, text);

  const summary = await importMlflow(store, source);

  assert.equal(summary.artifacts, 5);
  assert.deepEqual(files(path.join(store.artifactsDir, '1', RUNS.scheduled, 'artifacts')), [
    'plots/roc.svg',
  ]);
});

test('a symlinked artifact is copied as a file, and a link to nothing is left out', async (t) => {
  const { store, source, temp, dispose } = await setUp();
  t.after(dispose);
  const artifacts = path.join(source, '1', RUNS.failed, 'artifacts');
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(temp, 'outside.txt'), 'kept');
  fs.symlinkSync(path.join(temp, 'outside.txt'), path.join(artifacts, 'linked.txt'));
  fs.symlinkSync(path.join(temp, 'gone.txt'), path.join(artifacts, 'dangling.txt'));

  await importMlflow(store, source);

  const linked = path.join(store.artifactsDir, '1', RUNS.failed, 'artifacts', 'linked.txt');
  assert.equal(fs.lstatSync(linked).isSymbolicLink(), false);
  assert.equal(fs.readFileSync(linked, 'utf8'), 'kept');
  assert.deepEqual(files(path.dirname(linked)), ['linked.txt']);
});

test('views hear of imported experiments and models through store change events', async (t) => {
  const { store, source, dispose } = await setUp();
  t.after(dispose);
  const changes: string[] = [];
  store.onChange((change) => changes.push(`${change.kind} ${change.experimentId ?? change.name}`));

  await importMlflow(store, source);

  for (const expected of ['experiment 0', 'experiment 1', 'experiment 7', 'model churn-model']) {
    assert.ok(changes.includes(expected), `no change event '${expected}' in ${changes.join(', ')}`);
  }
});

test('the committed mlruns fixture is what its builder writes', () => {
  const temp = tempDir();
  try {
    const built = path.join(temp.dir, 'mlruns');
    writeMlruns(built);

    assert.deepEqual(files(FIXTURE), files(built));
    for (const file of files(built)) {
      assert.equal(
        fs.readFileSync(path.join(FIXTURE, file), 'utf8'),
        fs.readFileSync(path.join(built, file), 'utf8'),
        `${file} differs; run npx tsx test/fixtures/import/make-fixtures.ts`,
      );
    }
  } finally {
    temp.remove();
  }
});
