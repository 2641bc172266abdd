import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CommandContext } from '../../../src/cli/command';
import { runsCommand } from '../../../src/cli/commands/runs';
import { RunStore } from '../../../src/core/store/store';
import { modelFactory } from '../../helpers/cli';
import { tempDir } from '../../helpers/tempStore';

async function storeWithRuns(dir: string) {
  const store = await RunStore.open(dir, { idleMs: 0 });
  const experimentId = store.createExperiment('houses');
  const ids = [0.4, 0.2].map((rmse, i) => {
    const { runId } = store.createRun({
      experimentId,
      runName: `run-${i}`,
      startTime: 1000 + i,
    }).info;
    store.logBatch(runId, {
      metrics: [{ key: 'rmse', value: rmse, timestamp: 5, step: 1 }],
      params: [{ key: 'alpha', value: String(i) }],
    });
    store.updateRun(runId, { status: 'FINISHED', endTime: 65000 + i });
    return runId;
  });
  return { store, ids };
}

test('runs --json prints the body of MLflow runs/search, newest first', async (t) => {
  const temp = tempDir();
  const { store, ids } = await storeWithRuns(temp.dir);
  await store.close();
  t.after(temp.remove);

  const result = await modelFactory(['runs', '--store', temp.dir, '--json']);

  assert.equal(result.code, 0, result.stderr);
  const body = JSON.parse(result.stdout);
  assert.deepEqual(
    body.runs.map((r: { info: { run_id: string } }) => r.info.run_id),
    [ids[1], ids[0]],
  );
  const run = body.runs[1];
  assert.equal(run.info.run_name, 'run-0');
  assert.equal(run.info.status, 'FINISHED');
  assert.equal(run.info.start_time, 1000);
  assert.deepEqual(run.data.metrics, [{ key: 'rmse', value: 0.4, timestamp: 5, step: 1 }]);
  assert.deepEqual(run.data.params, [{ key: 'alpha', value: '0' }]);
  assert.equal(body.next_page_token, undefined);
});

test('runs filters and orders with MLflow syntax and prints a table for people', async (t) => {
  const temp = tempDir();
  const { store, ids } = await storeWithRuns(temp.dir);
  await store.close();
  t.after(temp.remove);

  const table = await modelFactory(['runs', '--store', temp.dir, '--filter', 'metrics.rmse < 0.3']);
  const ordered = await modelFactory([
    'runs',
    '--store',
    temp.dir,
    '--order-by',
    'metrics.rmse DESC',
    '--json',
  ]);

  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^RUN ID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+rmse$/m);
  assert.match(
    table.stdout,
    new RegExp(`^${ids[1]}\\s+run-1\\s+FINISHED\\s+\\S+\\s+1m4s\\s+0\\.2$`, 'm'),
  );
  assert.doesNotMatch(table.stdout, new RegExp(ids[0]));
  assert.deepEqual(
    JSON.parse(ordered.stdout).runs.map((r: { info: { run_id: string } }) => r.info.run_id),
    ids,
  );
});

test('runs reads what a live owner has acknowledged, without taking the store over', async (t) => {
  const temp = tempDir();
  const { store, ids } = await storeWithRuns(temp.dir);
  t.after(() => store.close().finally(temp.remove));

  const result = await modelFactory(['runs', '--store', temp.dir, '--json']);

  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).runs.length, ids.length);
  store.logMetric(ids[0], { key: 'after', value: 1 });
});

test('runs exits 2 with one clear line for a bad filter, a bad --max or a missing store', async (t) => {
  const temp = tempDir();
  const { store } = await storeWithRuns(temp.dir);
  await store.close();
  t.after(temp.remove);

  const badFilter = await modelFactory(['runs', '--store', temp.dir, '--filter', 'metrics.rmse <']);
  const badMax = await modelFactory(['runs', '--store', temp.dir, '--max', 'ten']);
  const missing = await modelFactory(['runs', '--store', `${temp.dir}/nowhere`]);
  const unknown = await modelFactory(['runs', '--colour']);

  for (const result of [badFilter, badMax, missing, unknown]) {
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  }
  assert.match(badFilter.stderr, /position/);
  assert.match(badMax.stderr, /--max takes a whole number/);
  assert.match(missing.stderr, /no run store in/);
  assert.match(unknown.stderr, /--colour/);
});

test('runs --json writes NaN and infinite metrics as the strings MLflow writes, so JSON.parse reads them', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  const store = await RunStore.open(temp.dir, { idleMs: 0 });
  const { runId } = store.createRun({ experimentId: '0' }).info;
  store.logBatch(runId, {
    metrics: [NaN, Infinity, -Infinity].map((value, step) => ({
      key: `m${step}`,
      value,
      timestamp: 1,
      step,
    })),
  });
  await store.close();
  let stdout = '';
  const context = {
    args: ['--store', temp.dir, '--json'],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: () => true },
    cwd: temp.dir,
    env: {},
  };

  // In process, from source: the other tests run the built dist/cli.js.
  const code = await runsCommand.run(context as unknown as CommandContext);

  assert.equal(code, 0);
  const [run] = JSON.parse(stdout).runs;
  assert.deepEqual(
    run.data.metrics.map((m: { value: unknown }) => m.value),
    ['NaN', 'Infinity', '-Infinity'],
  );
});
