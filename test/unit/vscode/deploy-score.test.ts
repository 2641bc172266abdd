import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { DeploySetting } from '../../../src/vscode/deploy/ids';
import { scoreDataFile } from '../../../src/vscode/deploy/score';
import {
  SCORED_FILE_TAG,
  SCORED_MODEL_TAG,
  scoredPath,
} from '../../../src/vscode/deploy/scoringRun';
import { openTempStore, tempDir } from '../../helpers/tempStore';
import { logisticClass } from '../deploy/helpers';
import { registerChurn, servicesFor, stub, writeRows } from './deployFixture';

const rows: Array<[number, string]> = [
  [3, 'blue'],
  [-1, 'red'],
  [0, 'blue'],
];

function allRuns(store: Awaited<ReturnType<typeof openTempStore>>['store']) {
  const experimentIds = store
    .searchExperiments({ maxResults: 100 })
    .items.map((e) => e.experimentId);
  return store.searchRuns({ experimentIds, maxResults: 100 }).items;
}

test('scoring writes name.scored.csv with the setting’s column and logs a run linked to the version', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const work = tempDir('mf-vscode-score-');
  t.after(work.remove);
  const churn = registerChurn(temp.store);
  const data = writeRows(path.join(work.dir, 'new.csv'), rows);
  const messages: string[] = [];
  stub(t, vscode.window, 'showOpenDialog', async () => [vscode.Uri.file(data)]);
  stub(t, vscode.window, 'showInformationMessage', async (message: string) => {
    messages.push(message);
    return undefined;
  });
  stub(t, vscode.workspace, 'getConfiguration', () => ({
    get: (key: string) => (key === DeploySetting.predictionColumn ? 'churn_prediction' : undefined),
  }));

  const scored = await scoreDataFile(servicesFor(temp.store), churn.node);

  const out = path.join(work.dir, 'new.scored.csv');
  assert.equal(scored?.result.out, out);
  assert.deepEqual(readFileSync(out, 'utf8').trim().split('\n'), [
    'id,x,color,churn_prediction',
    ...rows.map(([x, color], i) => `r${i},${x},${color},${logisticClass(x, color)}`),
  ]);
  const run = temp.store.getRun(scored!.runId);
  const params = Object.fromEntries(run.data.params.map((p) => [p.key, p.value]));
  const tags = Object.fromEntries(run.data.tags.map((tag) => [tag.key, tag.value]));
  assert.equal(params.model_uri, 'models:/churn/1');
  assert.equal(params.data_path, data);
  assert.equal(params.rows, '3');
  assert.equal(params.prediction_column, 'churn_prediction');
  assert.equal(tags[SCORED_MODEL_TAG], 'models:/churn/1');
  assert.equal(tags[SCORED_FILE_TAG], out);
  assert.equal(run.info.status, 'FINISHED');
  assert.equal(run.info.experimentId, churn.experimentId, 'beside the run that trained it');
  const input = run.inputs.datasetInputs[0];
  assert.equal(JSON.parse(input.dataset.source).uri, data);
  assert.deepEqual(input.tags, [{ key: 'mlflow.data.context', value: 'scoring' }]);
  assert.match(
    messages.at(-1)!,
    /^Scored 3 rows with churn v1: wrote new\.scored\.csv, predictions in column "churn_prediction"/,
  );
});

test('an existing scored copy is replaced only when the user says so', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const work = tempDir('mf-vscode-score-');
  t.after(work.remove);
  const churn = registerChurn(temp.store);
  const data = writeRows(path.join(work.dir, 'batch.csv'), rows);
  writeFileSync(scoredPath(data), 'kept\n');
  const questions: string[] = [];
  stub(t, vscode.window, 'showOpenDialog', async () => [vscode.Uri.file(data)]);
  stub(t, vscode.window, 'showWarningMessage', async (message: string) => {
    questions.push(message);
    return undefined;
  });

  const scored = await scoreDataFile(servicesFor(temp.store), churn.node);

  assert.equal(scored, undefined);
  assert.deepEqual(questions, ['batch.scored.csv already exists.']);
  assert.equal(readFileSync(scoredPath(data), 'utf8'), 'kept\n');
  assert.equal(allRuns(temp.store).length, 1, 'only the training run');
});

test('a model no loader can read is refused with the loaders tried, and no run is logged', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const work = tempDir('mf-vscode-score-');
  t.after(work.remove);
  const churn = registerChurn(temp.store, {
    'model/model.json': JSON.stringify({ format: 'something-else' }),
  });
  const data = writeRows(path.join(work.dir, 'new.csv'), rows);
  const errors: string[] = [];
  stub(t, vscode.window, 'showOpenDialog', async () => [vscode.Uri.file(data)]);
  stub(t, vscode.window, 'showErrorMessage', async (message: string) => {
    errors.push(message);
    return undefined;
  });

  const scored = await scoreDataFile(servicesFor(temp.store), churn.node);

  assert.equal(scored, undefined);
  assert.match(
    errors[0],
    /^Cannot score with churn v1: cannot score .*new\.csv: could not load a model/,
  );
  assert.match(errors[0], /json: ValueError: model\.json is not a Model Factory JSON model/);
  assert.ok(!existsSync(scoredPath(data)), 'no scored copy');
  assert.equal(allRuns(temp.store).length, 1, 'only the training run');
});

test('scoring in an untrusted workspace is refused with the reason, before any question', async (t) => {
  stub(t, vscode.workspace, 'isTrusted', false);
  const warnings: string[] = [];
  let asked = 0;
  stub(t, vscode.window, 'showWarningMessage', async (message: string) => {
    warnings.push(message);
    return undefined;
  });
  stub(t, vscode.window, 'showQuickPick', async () => {
    asked += 1;
    return undefined;
  });

  const scored = await scoreDataFile(servicesFor(undefined), undefined);

  assert.equal(scored, undefined);
  assert.equal(asked, 0);
  assert.match(warnings[0], /not trusted, and loading a model runs its code/);
});

test('the scored copy keeps TSV as TSV and is named after the data file', () => {
  assert.equal(scoredPath('/d/new.csv'), '/d/new.scored.csv');
  assert.equal(scoredPath('/d/batch.TSV'), '/d/batch.scored.tsv');
  assert.equal(scoredPath('/d/plain'), '/d/plain.scored.csv');
});
