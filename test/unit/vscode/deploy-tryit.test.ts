import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { shownDocuments } from '../../fakes/vscode';
import { startScoringServer } from '../../../src/core/deploy';
import type { Served } from '../../../src/vscode/deploy/servers';
import { tryServed } from '../../../src/vscode/deploy/tryIt';
import { tempDir } from '../../helpers/tempStore';
import { logisticClass, writeJsonModel } from '../deploy/helpers';
import { stub } from './deployFixture';

/**
 * "Try it" on a model without a saved input example: the first rows of a file the user picks go
 * to a real scoring server (python3), and only those rows are read, so a file that is large or
 * broken further down is no obstacle.
 */
async function servedJsonModel(t: { after(fn: () => unknown): void }): Promise<Served> {
  const work = tempDir('mf-vscode-tryit-');
  t.after(work.remove);
  const modelPath = writeJsonModel(path.join(work.dir, 'model'));
  const server = await startScoringServer({ modelPath, label: 'models:/churn/1' });
  t.after(() => server.stop());
  const { url, port } = server;
  return { uri: 'models:/churn/1', label: 'churn v1', url, port, modelPath, server };
}

async function tryWithFile(t: { after(fn: () => unknown): void }, served: Served, file: string) {
  stub(t, vscode.window, 'showOpenDialog', async () => [vscode.Uri.file(file)]);
  const errors: string[] = [];
  stub(t, vscode.window, 'showErrorMessage', async (message: string) => {
    errors.push(message);
    return undefined;
  });
  const before = shownDocuments.length;
  await tryServed(served);
  assert.deepEqual(errors, []);
  const shown = shownDocuments.slice(before) as Array<{ content: string }>;
  assert.equal(shown.length, 1);
  return JSON.parse(shown[0].content) as { input: string; predictions: number[] };
}

const ROWS: Array<[number, string]> = [
  [3, 'blue'],
  [-1, 'red'],
  [0, 'blue'],
  [5, 'red'],
  [-4, 'blue'],
];
const EXPECTED = ROWS.map(([x, color]) => logisticClass(x, color));

test('Try it sends the first five rows of a large CSV file whose tail would not parse', async (t) => {
  const served = await servedJsonModel(t);
  const work = tempDir('mf-vscode-tryit-data-');
  t.after(work.remove);
  const filler = Array.from({ length: 50_000 }, (_, i) => `${i % 7},red`);
  const lines = ['x,color', ...ROWS.map(([x, color]) => `${x},${color}`), ...filler];
  // A ragged row and an unclosed quote at the end: reading the whole file would fail on them.
  const file = path.join(work.dir, 'batch.csv');
  writeFileSync(file, `${lines.join('\n')}\n1,2,3\n"open\n`);

  const result = await tryWithFile(t, served, file);

  assert.equal(result.input, 'rows 1-5 of batch.csv');
  assert.deepEqual(result.predictions, EXPECTED);
});

test('Try it sends the first five rows of a JSON Lines file and stops reading there', async (t) => {
  const served = await servedJsonModel(t);
  const work = tempDir('mf-vscode-tryit-data-');
  t.after(work.remove);
  const lines = ROWS.map(([x, color]) => JSON.stringify({ x, color }));
  const file = path.join(work.dir, 'batch.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n{"x": 1, "color": \n`);

  const result = await tryWithFile(t, served, file);

  assert.equal(result.input, 'rows 1-5 of batch.jsonl');
  assert.deepEqual(result.predictions, EXPECTED);
});
