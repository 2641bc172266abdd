import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, EVALUATED_MODEL_TAG, metricDirection } from '../../../src/core/deploy';
import type { RunStore } from '../../../src/core/store/store';
import { openTempStore } from '../../helpers/tempStore';
import { runWithMetrics, writeArtifacts } from './helpers';

test('losses and errors are better lower, everything else higher', () => {
  for (const metric of [
    'loss',
    'val_loss',
    'log_loss',
    'rmse',
    'mae',
    'mean_absolute_error',
    'error_rate',
    'test-mse',
    'logloss',
    'trainLoss',
  ]) {
    assert.equal(metricDirection(metric), 'lower', metric);
  }
  for (const metric of ['accuracy', 'auc', 'r2', 'f1_score', 'precision', 'recall', 'terrain']) {
    assert.equal(metricDirection(metric), 'higher', metric);
  }
});

describe('comparing model versions on a metric', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let store: RunStore;
  let strongRun: string;
  let weakRun: string;

  /** A registered version of `churn` trained by a run with these metrics. */
  function version(metrics: Record<string, number>): { runId: string; uri: string } {
    const runId = runWithMetrics(store, metrics);
    writeArtifacts(store, runId, { 'model/model.json': '{}' });
    const created = store.createModelVersion({
      name: 'churn',
      source: `runs:/${runId}/model`,
      runId,
    });
    return { runId, uri: `models:/churn/${created.version}` };
  }

  before(async () => {
    temp = await openTempStore();
    store = temp.store;
    store.createRegisteredModel('churn');
    const strong = version({ auc: 0.8, log_loss: 0.5 }); // version 1
    const weak = version({ auc: 0.7, log_loss: 0.6 }); // version 2
    version({ auc: 0.8, accuracy: 0.75 }); // version 3: ties version 1 on auc
    strongRun = strong.runId;
    weakRun = weak.runId;
    store.setAlias('churn', 'champion', '2');
  });
  after(() => temp.dispose());

  test('the first is at least as good when its metric is higher, and the readings say where they came from', () => {
    const comparison = compareVersions(store, 'models:/churn/1', 'models:/churn@champion', 'auc');

    assert.equal(comparison.firstIsAtLeastAsGood, true);
    assert.equal(comparison.direction, 'higher');
    assert.equal(comparison.directionFromName, true);
    assert.deepEqual(comparison.first, {
      uri: 'models:/churn/1',
      canonicalUri: 'models:/churn/1',
      value: 0.8,
      runId: strongRun,
      from: 'training',
    });
    assert.deepEqual(comparison.second, {
      uri: 'models:/churn@champion',
      canonicalUri: 'models:/churn/2',
      value: 0.7,
      runId: weakRun,
      from: 'training',
    });
  });

  test('the first loses when the second is better, lower being better for a loss', () => {
    assert.equal(
      compareVersions(store, 'models:/churn/2', 'models:/churn/1', 'auc').firstIsAtLeastAsGood,
      false,
    );
    assert.equal(
      compareVersions(store, 'models:/churn/2', 'models:/churn/1', 'log_loss').firstIsAtLeastAsGood,
      false,
    );
    assert.equal(
      compareVersions(store, 'models:/churn/1', 'models:/churn/2', 'log_loss').firstIsAtLeastAsGood,
      true,
    );
  });

  test('a tie counts as at least as good, either way round', () => {
    assert.equal(
      compareVersions(store, 'models:/churn/1', 'models:/churn/3', 'auc').firstIsAtLeastAsGood,
      true,
    );
    assert.equal(
      compareVersions(store, 'models:/churn/3', 'models:/churn/1', 'auc').firstIsAtLeastAsGood,
      true,
    );
  });

  test('a given direction overrides the one read from the name', () => {
    const comparison = compareVersions(store, 'models:/churn/2', 'models:/churn/1', 'auc', {
      direction: 'lower',
    });

    assert.equal(comparison.firstIsAtLeastAsGood, true);
    assert.equal(comparison.directionFromName, false);
  });

  test('a runs:/ URI is judged by its own run', () => {
    const comparison = compareVersions(store, `runs:/${weakRun}/model`, 'models:/churn/1', 'auc');

    assert.deepEqual(comparison.first, {
      uri: `runs:/${weakRun}/model`,
      canonicalUri: `runs:/${weakRun}/model`,
      value: 0.7,
      runId: weakRun,
      from: 'run',
    });
    assert.equal(comparison.firstIsAtLeastAsGood, false);
  });

  test("a version's latest finished evaluation run that logged the metric comes before its training run", async () => {
    const tag = { [EVALUATED_MODEL_TAG]: 'models:/churn/2' };
    runWithMetrics(store, { auc: 0.9 }, tag);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later start time
    const latest = runWithMetrics(store, { auc: 0.85 }, tag);
    await new Promise((resolve) => setTimeout(resolve, 5));
    runWithMetrics(store, { accuracy: 0.1 }, tag); // newer, but without auc
    const running = store.createRun({
      experimentId: '0',
      startTime: Date.now() + 10,
      tags: [{ key: EVALUATED_MODEL_TAG, value: 'models:/churn/2' }],
    });
    store.logMetric(running.info.runId, { key: 'auc', value: 0.1, timestamp: Date.now(), step: 0 });

    const comparison = compareVersions(store, 'models:/churn@champion', 'models:/churn/1', 'auc');

    assert.deepEqual(comparison.first, {
      uri: 'models:/churn@champion',
      canonicalUri: 'models:/churn/2',
      value: 0.85,
      runId: latest,
      from: 'evaluation',
    });
    assert.equal(comparison.firstIsAtLeastAsGood, true);
  });

  test('a metric one side lacks is an error that names the metric, the side and what it has', () => {
    assert.throws(
      () => compareVersions(store, 'models:/churn/1', 'models:/churn/3', 'accuracy'),
      /models:\/churn\/1 has no metric 'accuracy': neither its run \w+ nor its evaluation runs logged it \(the run has auc, log_loss\)/,
    );
    assert.throws(
      () => compareVersions(store, 'models:/churn/3', `runs:/${strongRun}/model`, 'accuracy'),
      /runs:\/\w+\/model has no metric 'accuracy': neither its run \w+ logged it/,
    );
  });

  test('an unknown model or alias is an error before any metric is read', () => {
    assert.throws(
      () => compareVersions(store, 'models:/churn@gone', 'models:/churn/1', 'auc'),
      /has no alias 'gone'/,
    );
  });
});
