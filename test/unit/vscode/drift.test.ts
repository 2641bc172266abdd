import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { fileSearch } from '../../fakes/vscode';
import { numberProblem } from '../../../src/vscode/drift/options';
import {
  rememberedReference,
  rememberReference,
  resolveReference,
  type Reference,
} from '../../../src/vscode/drift/reference';
import { retrainOnData, retrainTargets } from '../../../src/vscode/drift/retrain';
import { LaunchCommand } from '../../../src/vscode/launch/ids';
import type { Services } from '../../../src/vscode/services';
import { tempDir } from '../../helpers/tempStore';

const churnProject = path.join(__dirname, '../../../examples/churn/MLproject');

/** A Memento that keeps its values in a Map, as workspaceState does. */
function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}

/** Replaces a member of the fake module for one test. */
function stub<T extends object, K extends keyof T>(
  t: { after(fn: () => void): void },
  target: T,
  key: K,
  value: T[K],
) {
  const original = target[key];
  target[key] = value;
  t.after(() => (target[key] = original));
}

test('a remembered reference is used without asking, per file', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  const reference = path.join(temp.dir, 'train.csv');
  writeFileSync(reference, 'a\n1\n');
  const state = memento();
  let asked = 0;
  stub(t, vscode.window, 'showQuickPick', (async () => {
    asked += 1;
    return undefined;
  }) as never);

  await rememberReference(state, '/data/new.csv', { kind: 'file', path: reference });
  const resolved = await resolveReference(state, undefined, '/data/new.csv', false);
  const other = await resolveReference(state, undefined, '/data/other.csv', false);

  assert.deepEqual(resolved, { kind: 'file', path: reference });
  assert.equal(rememberedReference(state, '/data/other.csv'), undefined);
  assert.equal(other, undefined, 'the user dismissed the pick for the other file');
  assert.equal(asked, 1, 'only the file without a memory asked');
});

test('a remembered reference that is gone is named, and the user chooses again', async (t) => {
  const state = memento();
  const warnings: string[] = [];
  let items: unknown[] = [];
  stub(t, vscode.window, 'showWarningMessage', (async (message: string) => {
    warnings.push(message);
    return undefined;
  }) as never);
  stub(t, vscode.window, 'showQuickPick', (async (offered: unknown[]) => {
    items = offered;
    return undefined;
  }) as never);
  fileSearch.files = ['/data/a.csv', '/data/new.csv'];
  t.after(() => (fileSearch.files = []));

  await rememberReference(state, '/data/new.csv', { kind: 'file', path: '/gone/train.csv' });
  const resolved = await resolveReference(state, undefined, '/data/new.csv', false);

  assert.equal(resolved, undefined);
  assert.match(warnings[0], /The reference \/gone\/train\.csv no longer exists; choose another/);
  const labels = items.map((item) => (item as { label: string }).label);
  assert.ok(labels.includes('$(file) a.csv'), 'other data files are offered');
  assert.ok(!labels.includes('$(file) new.csv'), 'the file itself is not');
  assert.ok(labels.includes('$(folder-opened) Browse…'));
});

test("retrain targets are the training entry points with a data path, like churn's train", async (t) => {
  fileSearch.files = [churnProject];
  t.after(() => (fileSearch.files = []));

  const targets = await retrainTargets();

  assert.deepEqual(targets, [
    { mlprojectPath: churnProject, entryPoint: 'train', parameter: 'data' },
  ]);
});

test("retraining launches train with the checked file as data and the check's tag", async (t) => {
  fileSearch.files = [churnProject];
  t.after(() => (fileSearch.files = []));
  const launched: unknown[][] = [];
  stub(t, vscode.commands, 'executeCommand', (async (...args: unknown[]) => {
    launched.push(args);
    return undefined;
  }) as never);
  const services = {
    context: { workspaceState: memento() },
    tracking: { runStore: undefined },
  } as unknown as Services;
  const reference: Reference = { kind: 'file', path: '/data/reference.csv' };

  await retrainOnData(services, {
    checkId: 'c'.repeat(32),
    currentPath: '/data/current.csv',
    reference,
  });

  assert.equal(launched.length, 1);
  const [command, request] = launched[0];
  assert.equal(command, LaunchCommand.launch);
  assert.deepEqual(request, {
    kind: 'train',
    uri: `file://${churnProject}`,
    entryPoint: 'train',
    params: { data: '/data/current.csv' },
    tags: { 'model_factory.drift_check': 'c'.repeat(32) },
    workspaceStore:
      'A retrain is linked to its drift check, so its run is recorded in the workspace store',
  });
});

test('retraining in an untrusted workspace launches nothing and says why', async (t) => {
  stub(t, vscode.workspace, 'isTrusted', false);
  const warnings: string[] = [];
  stub(t, vscode.window, 'showWarningMessage', (async (message: string) => {
    warnings.push(message);
    return undefined;
  }) as never);

  await retrainOnData({} as Services, {
    checkId: null,
    currentPath: '/data/current.csv',
    reference: { kind: 'file', path: '/data/reference.csv' },
  });

  assert.match(warnings[0], /trust the workspace/);
});

test('option numbers: a share is above 0 and at most 1, a threshold above 0 or empty', () => {
  assert.equal(numberProblem('0.5', true), undefined);
  assert.equal(numberProblem('1.5', true), 'At most 1');
  assert.equal(numberProblem('', true), 'A share is needed');
  assert.equal(numberProblem('', false), undefined);
  assert.equal(numberProblem('-1', false), 'A number above 0');
  assert.equal(numberProblem('abc', false), 'A number above 0');
});
