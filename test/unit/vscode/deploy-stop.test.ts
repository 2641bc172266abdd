import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Task } from '../../fakes/vscode';
import { deactivate } from '../../../src/extension';
import { serveVersion } from '../../../src/vscode/deploy/serve';
import { servedModels } from '../../../src/vscode/deploy/servers';
import { stopServing, type ServeTerminal } from '../../../src/vscode/deploy/serveTask';
import { openTempStore } from '../../helpers/tempStore';
import { registerChurn, servicesFor, stub } from './deployFixture';

/**
 * Served models end with the window: deactivate() waits for their processes, and a process that
 * ignores SIGTERM is killed after the grace period instead of outliving VS Code. Real python3
 * processes, with pickled models that misbehave as some libraries do.
 */

/** The model's code, beside its pickle: the pickle names these functions to call on loading. */
const MODEL_CODE = `
import os, signal, threading, time

def _note_pid(folder):
    # Written aside and renamed, so that the test never reads half a file.
    with open(os.path.join(folder, "pid.tmp"), "w") as out:
        out.write(str(os.getpid()))
    os.replace(os.path.join(folder, "pid.tmp"), os.path.join(folder, "pid.txt"))

class Constant:
    def predict(self, rows):
        return [0 for _ in rows]

def lingering(folder):
    """Loads, but leaves a worker thread that keeps the process alive after SIGTERM."""
    threading.Thread(target=time.sleep, args=(300,)).start()
    _note_pid(folder)
    return Constant()

def stuck(folder):
    """Never finishes loading, and ignores SIGTERM meanwhile."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _note_pid(folder)
    time.sleep(300)

class Loader:
    def __init__(self, name, folder):
        self.name, self.folder = name, folder
    def __reduce__(self):
        return (getattr(__import__("misbehaving"), self.name), (self.folder,))
`;

/** churn v1 whose model.pkl calls `loader` from misbehaving.py when it is unpickled. */
function registerMisbehaving(
  temp: Awaited<ReturnType<typeof openTempStore>>,
  loader: 'lingering' | 'stuck',
) {
  const churn = registerChurn(temp.store, { 'model/misbehaving.py': MODEL_CODE });
  execFileSync(
    'python3',
    [
      '-c',
      'import pickle, sys; sys.path.insert(0, sys.argv[1]); import misbehaving; ' +
        'pickle.dump(misbehaving.Loader(sys.argv[2], sys.argv[1]), ' +
        'open(sys.argv[1] + "/model.pkl", "wb"))',
      churn.folder,
      loader,
    ],
    { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
  );
  return churn;
}

/** VS Code's part in running a task: make the pseudoterminal and open it. */
function runTasks(t: { after(fn: () => void): void }) {
  const closed: Array<Promise<number>> = [];
  const output: string[] = [];
  stub(t, vscode.tasks, 'executeTask', async (task: Task) => {
    const terminal = (await task.execution.callback(task.definition)) as ServeTerminal;
    terminal.onDidWrite((text) => output.push(text));
    closed.push(new Promise<number>((resolve) => terminal.onDidClose(resolve)));
    terminal.open();
  });
  stub(t, vscode.window, 'showInformationMessage', async () => undefined);
  return { closed, output };
}

/** The pid the model writes as it loads, once it has: the folder is watched for the file. */
function loadedPid(folder: string): Promise<number> {
  const file = path.join(folder, 'pid.txt');
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!existsSync(file)) return;
      clearTimeout(timer);
      watcher.close();
      resolve(Number(readFileSync(file, 'utf8')));
    };
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error('the model never started loading'));
    }, 20_000);
    const watcher = watch(folder, check);
    check();
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills a process a failed test left behind, so it never outlives the test run. */
function killLeftover(pid: number | undefined) {
  if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
}

test('deactivate waits for a served model to end, and its task closes cleanly', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const churn = registerChurn(temp.store);
  const tasks = runTasks(t);
  await serveVersion(servicesFor(temp.store), churn.node);
  const [served] = servedModels();
  t.after(() => served?.server.stop());
  let exited = false;
  void served.server.exited.then(() => (exited = true));

  await deactivate();

  assert.equal(exited, true, 'the process had ended when deactivate resolved');
  assert.equal(await tasks.closed[0], 0);
  assert.deepEqual(servedModels(), []);
  await assert.rejects(fetch(`${served.url}/ping`), 'nothing listens on the port any more');
});

test('a served model whose process ignores SIGTERM is killed after the grace period', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const churn = registerMisbehaving(temp, 'lingering');
  const tasks = runTasks(t);
  await serveVersion(servicesFor(temp.store), churn.node);
  const [served] = servedModels();
  assert.ok(served, 'the lingering model was served');
  const pid = await loadedPid(churn.folder);
  t.after(() => killLeftover(pid));

  const started = performance.now();
  await stopServing(400);
  const elapsed = performance.now() - started;

  assert.deepEqual(await served.server.exited, { code: null, signal: 'SIGKILL' });
  assert.equal(isAlive(pid), false);
  assert.ok(elapsed >= 350 && elapsed < 2500, `stopping took ${elapsed.toFixed(0)} ms`);
  assert.equal(await tasks.closed[0], 0, 'a server stopped with the window is no failure');
});

test('a model stuck loading and ignoring SIGTERM is killed at once, and its start refused', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  const churn = registerMisbehaving(temp, 'stuck');
  const tasks = runTasks(t);
  const errors: string[] = [];
  stub(t, vscode.window, 'showErrorMessage', async (message: string) => {
    errors.push(message);
    return undefined;
  });
  const serving = serveVersion(servicesFor(temp.store), churn.node);
  const pid = await loadedPid(churn.folder);
  t.after(() => killLeftover(pid));

  const started = performance.now();
  await stopServing(5000);
  const elapsed = performance.now() - started;
  await serving;

  assert.equal(isAlive(pid), false);
  assert.ok(elapsed < 2000, `stopping took ${elapsed.toFixed(0)} ms, not the 5 s grace`);
  assert.equal(await tasks.closed[0], 1);
  assert.match(tasks.output.join(''), /The task was terminated before the server was ready\./);
  assert.deepEqual(errors, [
    'Cannot serve churn v1: The task was terminated before the server was ready.',
  ]);
  assert.deepEqual(servedModels(), []);
});
