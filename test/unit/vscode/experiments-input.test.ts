import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseTag,
  selectedRuns,
  validateExperimentName,
  validateFilter,
} from '../../../src/vscode/experiments/input';
import type { ViewNode } from '../../../src/vscode/views/node';
import { openTempStore } from '../../helpers/tempStore';

test('an experiment name is refused when empty, too long or taken, deleted experiments included', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.createExperiment('taken');
  store.deleteExperiment(store.createExperiment('archived'));

  const answers = ['', '   ', 'x'.repeat(257), 'taken', ' taken ', 'archived', 'fresh'].map(
    (name) => validateExperimentName(store, name),
  );

  assert.match(answers[0] ?? '', /Enter a name/);
  assert.match(answers[1] ?? '', /Enter a name/);
  assert.match(answers[2] ?? '', /at most 256 characters; this one has 257/);
  assert.match(answers[3] ?? '', /already exists/);
  assert.match(answers[4] ?? '', /already exists/);
  assert.match(answers[5] ?? '', /deleted experiment "archived".*restore it/);
  assert.equal(answers[6], undefined);
});

test('renaming an experiment to its own name is not refused as taken', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  store.createExperiment('same');

  const answer = validateExperimentName(store, 'same', 'same');

  assert.equal(answer, undefined);
});

test('a filter is checked by the store, and its syntax error is what the input box shows', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);

  const good = validateFilter(store, "metrics.rmse < 1 OR (params.model = 'xgb')");
  const empty = validateFilter(store, '  ');
  const bad = validateFilter(store, 'metrics.rmse <');

  assert.equal(good, undefined);
  assert.equal(empty, undefined);
  assert.match(bad ?? '', /^Invalid filter 'metrics\.rmse <'/);
});

test('a tag is key=value, its value may hold "=", and bad keys are refused', () => {
  const inputs = ['stage=baseline', 'note=a=b', 'empty=', 'no equals', '=value', '../x=1'];

  const parsed = inputs.map(parseTag);

  assert.deepEqual(parsed.slice(0, 3), [
    { key: 'stage', value: 'baseline' },
    { key: 'note', value: 'a=b' },
    { key: 'empty', value: '' },
  ]);
  assert.match(String(parsed[3]), /key=value/);
  assert.match(String(parsed[4]), /key before/);
  assert.match(String(parsed[5]), /may not start with "\/" or contain "\.\."/);
});

function runNode(runId: string): ViewNode {
  return {
    id: `run:${runId}`,
    label: runId,
    contextValue: 'run.finished',
    collapsible: 'none',
    data: {
      kind: 'run',
      runId,
      experimentId: '1',
      name: runId,
      deleted: false,
      status: 'FINISHED',
    },
  };
}

test('a menu command acts on the selection only when the clicked run is part of it', () => {
  const [a, b, c] = ['a', 'b', 'c'].map(runNode);

  const inside = selectedRuns(a, [a, b]).map((run) => run.runId);
  const outside = selectedRuns(c, [a, b]).map((run) => run.runId);
  const clicked = selectedRuns(a.data).map((run) => run.runId);

  assert.deepEqual(inside, ['a', 'b']);
  assert.deepEqual(outside, ['c']);
  assert.deepEqual(clicked, ['a']);
});
