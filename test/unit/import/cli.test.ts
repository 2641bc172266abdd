import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe as describeSummary, importCommand } from '../../../src/cli/commands/import';
import { UsageError } from '../../../src/cli/errors';
import { RunStore } from '../../../src/core/store/store';
import { tempDir } from '../../helpers/tempStore';
import { RUNS } from '../../fixtures/import/mlrunsFixture';
import { collector, copyFixture } from './helpers';

function context(cwd: string, ...args: string[]) {
  return { args, cwd, env: {}, stdout: collector(), stderr: collector() };
}

test('import prints one line of counts and fills .modelfactory in the working folder', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  copyFixture(temp.dir);
  const call = context(temp.dir, 'mlruns');

  const code = await importCommand.run(call);

  assert.equal(code, 0);
  const store = path.join(temp.dir, '.modelfactory');
  assert.equal(
    call.stdout.text(),
    'imported 3 experiments, 8 runs (0 skipped), 20 metric points, 8 params, 19 tags, ' +
      `1 model, 3 versions, 4 artifact files from ${path.join(temp.dir, 'mlruns')} into ${store}\n`,
  );
  assert.match(call.stderr.text(), /^model-factory: warning: skipped .*scratch/);
  const reopened = await RunStore.open(store);
  t.after(() => reopened.close());
  assert.equal(reopened.getRun(RUNS.baseline).info.runName, 'baseline');
});

test('--store names the folder of the store, and a second import skips every run', async (t) => {
  const temp = tempDir();
  t.after(temp.remove);
  const source = copyFixture(temp.dir);
  await importCommand.run(context(temp.dir, source, '--store', 'elsewhere'));
  const again = context(temp.dir, source, '--store', 'elsewhere');

  await importCommand.run(again);

  assert.match(
    again.stdout.text(),
    /^imported 0 experiments, 0 runs \(8 skipped\), 0 metric points/,
  );
  assert.ok(fs.existsSync(path.join(temp.dir, 'elsewhere', 'mlflow.db')));
  assert.ok(!fs.existsSync(path.join(temp.dir, '.modelfactory')));
});

for (const [args, message] of [
  [[], /import takes one PATH/],
  [['a', 'b'], /import takes one PATH/],
  [['mlruns', '--frobnicate'], /Unknown option '--frobnicate'/],
  [['missing'], /missing does not exist/],
] as const) {
  test(`import ${args.join(' ') || 'without arguments'} is a usage error that opens no store`, async (t) => {
    const temp = tempDir();
    t.after(temp.remove);
    copyFixture(temp.dir);

    await assert.rejects(importCommand.run(context(temp.dir, ...args)), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, message);
      return true;
    });
    assert.ok(!fs.existsSync(path.join(temp.dir, '.modelfactory')));
  });
}

test('the summary line says one and many as people do, with thousands separated', () => {
  const line = describeSummary(
    {
      experiments: 1,
      runs: 1,
      skippedRuns: 1200,
      metrics: 10412,
      params: 1,
      tags: 0,
      models: 1,
      versions: 1,
      artifacts: 1,
    },
    'mlruns',
    '.modelfactory',
  );

  assert.equal(
    line,
    'imported 1 experiment, 1 run (1,200 skipped), 10,412 metric points, 1 param, 0 tags, ' +
      '1 model, 1 version, 1 artifact file from mlruns into .modelfactory',
  );
});
