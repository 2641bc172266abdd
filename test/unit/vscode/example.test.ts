import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { openExampleProject } from '../../../src/vscode/example';
import { parseMlproject } from '../../../src/core/projects/mlproject';
import { tempDir } from '../../helpers/tempStore';

/**
 * "Open Example Project" copies the packaged example out of dist/examples. The extension folder
 * here is a temporary one whose dist/examples links to the repository's examples/ (what
 * esbuild.mjs copies), so the test does not depend on a build, and the fake's file system copies
 * for real.
 */
const examples = path.join(__dirname, '../../../examples');

type FakeUri = { scheme: string; fsPath: string; path: string };

function fakeWorkbench(picked: string) {
  const opened: unknown[][] = [];
  const fake = vscode as unknown as Record<string, Record<string, unknown>>;
  fake.Uri.joinPath = (base: FakeUri, ...parts: string[]) =>
    (fake.Uri.file as (p: string) => FakeUri)(path.join(base.fsPath, ...parts));
  fake.window.showOpenDialog = async () => [vscode.Uri.file(picked)];
  fake.workspace.fs = {
    stat: async (uri: FakeUri) => statSync(uri.fsPath),
    copy: async (source: FakeUri, target: FakeUri) =>
      cpSync(source.fsPath, target.fsPath, { recursive: true, errorOnExist: true, force: false }),
  };
  fake.commands.executeCommand = async (...args: unknown[]) => void opened.push(args);
  return { opened };
}

test('Open Example Project copies the churn example, with train, evaluate and drift data', async (t) => {
  const extension = tempDir('mf-extension-');
  const picked = tempDir('mf-picked-');
  t.after(() => (extension.remove(), picked.remove()));
  mkdirSync(path.join(extension.dir, 'dist'));
  symlinkSync(examples, path.join(extension.dir, 'dist/examples'), 'dir');
  const { opened } = fakeWorkbench(picked.dir);

  await openExampleProject({ extensionUri: vscode.Uri.file(extension.dir) } as never);

  const copy = path.join(picked.dir, 'model-factory-example');
  const { project } = parseMlproject(readFileSync(path.join(copy, 'MLproject'), 'utf8'));
  assert.equal(project?.name, 'churn');
  assert.deepEqual(project?.entryPoints.map((entry) => entry.name).sort(), ['evaluate', 'train']);
  assert.ok(existsSync(path.join(copy, 'data/reference.csv')));
  assert.ok(existsSync(path.join(copy, 'data/current.csv')));
  const evaluate = readFileSync(path.join(copy, 'evaluate.py'), 'utf8');
  assert.match(evaluate, /MODEL_URI/);
  assert.match(evaluate, /MODEL_PATH/);
  assert.equal(opened[0][0], 'vscode.openFolder');
  assert.equal((opened[0][1] as FakeUri).fsPath, copy);
});
