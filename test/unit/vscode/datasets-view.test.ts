import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createdWatchers, fileSearch, workspace } from '../../fakes/vscode';
import { datasetCommands } from '../../../src/vscode/datasets/commands';
import { DatasetCommand } from '../../../src/vscode/datasets/ids';
import { registerDatasetsView } from '../../../src/vscode/datasets/view';
import { DisposableScope } from '../../../src/vscode/disposable';
import type { Services } from '../../../src/vscode/services';
import type { ViewNode } from '../../../src/vscode/views/node';
import type { NodeTreeProvider } from '../../../src/vscode/views/tree';

const root = path.resolve('/work/project');

function fixture(t: { after(fn: () => unknown): void }, files: string[]) {
  const scope = new DisposableScope();
  const folders = workspace.workspaceFolders;
  workspace.workspaceFolders = [{ name: 'project', uri: { fsPath: root } }];
  fileSearch.files = files.map((file) => path.join(root, file));
  fileSearch.searches = 0;
  t.after(() => {
    scope.dispose();
    workspace.workspaceFolders = folders;
  });
  const tracking = { runStore: undefined, state: 'none', onDidChange: () => ({ dispose() {} }) };
  const services = { context: {}, tracking } as unknown as Services;
  return { services, view: registerDatasetsView(services, scope) };
}

async function fileNodes(provider: NodeTreeProvider): Promise<ViewNode[]> {
  const [group] = (await provider.getChildren()) as ViewNode[];
  return (await provider.getChildren(group)) as ViewNode[];
}

function nextRefresh(provider: NodeTreeProvider): Promise<void> {
  return new Promise((resolve) => {
    const listener = provider.onDidChangeTreeData(() => {
      listener.dispose();
      resolve();
    });
  });
}

test('the datasets view lists what the workspace search finds, each opening on click', async (t) => {
  const { view } = fixture(t, ['data/train.csv', 'node_modules/x/y.csv']);

  const nodes = await fileNodes(view.provider);

  assert.deepEqual(
    nodes.map((n) => n.label),
    ['train.csv'],
  );
  assert.equal(nodes[0].command?.command, 'vscode.open');
  assert.deepEqual(nodes[0].command?.arguments, [
    {
      scheme: 'file',
      fsPath: path.join(root, 'data/train.csv'),
      path: path.join(root, 'data/train.csv'),
    },
  ]);
});

test('a data file created in the workspace appears after one batched rescan', async (t) => {
  const { view } = fixture(t, ['data/train.csv']);
  await fileNodes(view.provider);
  const watcher = createdWatchers.at(-1)!;
  const refreshed = nextRefresh(view.provider);

  fileSearch.files.push(path.join(root, 'data/new.csv'), path.join(root, 'data/newer.csv'));
  watcher.fire('create', path.join(root, 'data/new.csv'));
  watcher.fire('create', path.join(root, 'data/newer.csv'));
  await refreshed;
  const nodes = await fileNodes(view.provider);

  assert.equal(watcher.pattern, '**/*.{csv,tsv,jsonl,parquet}');
  assert.deepEqual(
    nodes.map((n) => n.label),
    ['new.csv', 'newer.csv', 'train.csv'],
  );
  assert.equal(fileSearch.searches, 2);
});

test('the refresh command scans the workspace again', async (t) => {
  const { view, services } = fixture(t, ['a.csv']);
  await fileNodes(view.provider);

  await datasetCommands(services)[DatasetCommand.refreshDatasets]();
  await fileNodes(view.provider);

  assert.equal(fileSearch.searches, 2);
});
