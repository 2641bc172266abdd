import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../../../src/vscode/datasets/defaults';
import { dataFileNodes, isDataFile, scanExclude } from '../../../src/vscode/datasets/files';
import { globToRegExp } from '../../../src/vscode/datasets/glob';
import { tempDir } from '../../helpers/tempStore';

const filter = { include: DEFAULT_INCLUDE, exclude: DEFAULT_EXCLUDE };

/** A workspace folder holding the given files; returns its root and every file under it. */
function workspace(t: { after(fn: () => unknown): void }, files: string[]) {
  const temp = tempDir('mf-datasets-');
  t.after(temp.remove);
  for (const file of files) {
    mkdirSync(path.dirname(path.join(temp.dir, file)), { recursive: true });
    writeFileSync(path.join(temp.dir, file), 'a,b\n1,2\n');
  }
  const all = readdirSync(temp.dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  return { root: { name: 'project', path: temp.dir }, all };
}

test('globs match as VS Code settings write them', () => {
  const data = globToRegExp(DEFAULT_INCLUDE);
  const venv = globToRegExp('**/.venv/**');

  assert.ok(data.test('train.csv') && data.test('data/2024/new.parquet'));
  assert.ok(!data.test('train.csv.bak') && !data.test('notes.txt') && !data.test('csv'));
  assert.ok(venv.test('.venv/lib/x.csv') && venv.test('app/.venv/x.csv'));
  assert.ok(!venv.test('app/.venvs/x.csv') && !venv.test('my.venv/x.csv'));
  assert.ok(globToRegExp('data/?.{csv,{tsv,jsonl}}').test('data/a.jsonl'));
  assert.ok(globToRegExp('[!_]*.csv').test('a.csv') && !globToRegExp('[!_]*.csv').test('_a.csv'));
  assert.ok(globToRegExp('a+b(1).csv').test('a+b(1).csv'));
});

test("the workspace's data files list by folder then name, each labelled with its name", async (t) => {
  const { root, all } = workspace(t, [
    'train.csv',
    'data/new/batch.jsonl',
    'data/a.parquet',
    'notes.txt',
  ]);

  const nodes = dataFileNodes(all, [root], filter);

  assert.deepEqual(
    nodes.map((n) => [n.label, n.description]),
    [
      ['train.csv', undefined],
      ['a.parquet', 'data'],
      ['batch.jsonl', 'data/new'],
    ],
  );
  assert.equal(nodes[1].resourcePath, path.join(root.path, 'data/a.parquet'));
  assert.equal(nodes[1].contextValue, 'datasetFile');
  assert.match(nodes[1].tooltip!, /Parquet file in project/);
});

test('the store, dependencies, environments and caches are left out', async (t) => {
  const { root, all } = workspace(t, [
    'data/keep.csv',
    '.modelfactory/artifacts/0/run/artifacts/eval.csv',
    'node_modules/pkg/fixture.csv',
    '.venv/lib/site-packages/sklearn/iris.csv',
    'venv/lib/x.csv',
    'src/__pycache__/x.csv',
    '.git/x.csv',
  ]);

  const nodes = dataFileNodes(all, [root], filter);

  assert.deepEqual(
    nodes.map((n) => n.label),
    ['keep.csv'],
  );
});

test('with several workspace folders, each file names its folder', async (t) => {
  const first = workspace(t, ['a.csv']);
  const second = workspace(t, ['data/b.csv']);
  const roots = [
    { name: 'api', path: first.root.path },
    { name: 'training', path: second.root.path },
  ];

  const nodes = dataFileNodes([...second.all, ...first.all, '/elsewhere/c.csv'], roots, filter);

  assert.deepEqual(
    nodes.map((n) => n.description),
    ['api', 'training · data'],
  );
});

test('watcher events count only for files the view would list', async (t) => {
  const { root } = workspace(t, []);

  const listed = isDataFile(path.join(root.path, 'data/new.csv'), [root], filter);
  const excluded = isDataFile(
    path.join(root.path, '.modelfactory/artifacts/x.csv'),
    [root],
    filter,
  );

  assert.equal(listed, true);
  assert.equal(excluded, false);
});

test("one scan's exclude pattern joins the settings' patterns that have no braces", () => {
  assert.equal(scanExclude(['**/.venv/**']), '**/.venv/**');
  assert.equal(scanExclude(['**/a/**', '**/b/**', '**/{c,d}/**']), '{**/a/**,**/b/**}');
  assert.equal(scanExclude([]), undefined);
});

test('an exclude pattern with braces of its own is still applied to the list', async (t) => {
  const { root, all } = workspace(t, ['keep.csv', 'tmp/x.csv', 'cache/y.csv']);

  const nodes = dataFileNodes(all, [root], {
    include: DEFAULT_INCLUDE,
    exclude: ['{tmp,cache}/**'],
  });

  assert.deepEqual(
    nodes.map((n) => n.label),
    ['keep.csv'],
  );
});
