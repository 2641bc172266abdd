import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServe } from '../../helpers/serveProcess';
import { tempDir } from '../../helpers/tempStore';

const run = promisify(execFile);
const TOKEN = 'mlflow-client-token';

const SCRIPT = `
import mlflow
mlflow.set_experiment("real-mlflow")
with mlflow.start_run(run_name="unchanged-code") as run:
    mlflow.log_param("alpha", 0.5)
    for step in range(100):
        mlflow.log_metric("loss", 1 / (step + 1), step=step)
    mlflow.log_text("hello", "notes/hello.txt")
    print(run.info.run_id)
`;

/** mlflow cannot be installed on machines without PyPI; the test then says so and is skipped. */
function pythonWithMlflow(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import mlflow'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

test('unchanged mlflow client code logs into the store through serve', async (t) => {
  const python = pythonWithMlflow();
  if (!python) {
    t.skip('mlflow is not installed for python3 (pip cannot reach PyPI here); not run, not passed');
    return;
  }
  const temp = tempDir();
  const serve = await startServe(['--store', temp.dir, '--token', TOKEN]);
  t.after(async () => {
    serve.child.kill('SIGTERM');
    await serve.exited;
    temp.remove();
  });
  const script = path.join(temp.dir, 'client.py');
  writeFileSync(script, SCRIPT);

  const { stdout } = await run(python, [script], {
    env: { ...process.env, MLFLOW_TRACKING_URI: serve.url, MLFLOW_TRACKING_TOKEN: TOKEN },
  });
  const runId = stdout.trim().split('\n').pop()!;
  const headers = { Authorization: `Bearer ${TOKEN}` };
  const got = await (
    await fetch(`${serve.url}/api/2.0/mlflow/runs/get?run_id=${runId}`, { headers })
  ).json();
  const artifact = await fetch(
    `${serve.url}/api/2.0/mlflow-artifacts/artifacts/${got.run.info.experiment_id}/${runId}/artifacts/notes/hello.txt`,
    { headers },
  );

  assert.equal(got.run.info.status, 'FINISHED');
  assert.deepEqual(got.run.data.params, [{ key: 'alpha', value: '0.5' }]);
  assert.equal(got.run.data.metrics[0].step, 99);
  assert.equal(await artifact.text(), 'hello');
});
