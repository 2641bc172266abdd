import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startScoringServer } from '../../../src/core/deploy';
import { tempDir } from '../../helpers/tempStore';
import {
  LINEAR_MODEL,
  linearScore,
  postRows,
  pythonHas,
  SAMPLE_ROWS,
  writeJsonModel,
  writePickleModel,
} from './helpers';

/**
 * The bundled scoring server's loaders in real Python processes: the JSON format for linear
 * models, a pickle, a scikit-learn model saved with joblib (where /usr/bin/python3 has it),
 * mlflow's pyfunc loader (where mlflow can be imported), and the errors when none can load.
 */
const post = postRows;
const json = (body: unknown) => JSON.stringify(body);
const ROWS = SAMPLE_ROWS;

describe('the scoring server with other models and loaders', () => {
  let work: ReturnType<typeof tempDir>;

  before(() => (work = tempDir('mf-serve-loaders-')));
  after(() => work.remove());

  test('a linear JSON model predicts its score', async () => {
    const server = await startScoringServer({
      modelPath: writeJsonModel(path.join(work.dir, 'linear'), LINEAR_MODEL),
    });
    try {
      const response = await post(server, json({ inputs: ROWS }), 'application/json');

      const predictions = response.body.predictions as number[];
      ROWS.forEach((row, i) =>
        assert.ok(Math.abs(predictions[i] - linearScore(row.x, row.color)) < 1e-12),
      );
      assert.match(server.readyLine, /\(json: linear-regression from model\.json\)/);
    } finally {
      await server.stop();
    }
  });

  test('a pickle of a small object with predict is loaded, its class imported from beside it', async () => {
    const server = await startScoringServer({
      modelPath: writePickleModel(path.join(work.dir, 'pickle')),
    });
    try {
      const split = {
        dataframe_split: {
          columns: ['a', 'b'],
          data: [
            [1, 2],
            [10, -3],
          ],
        },
      };
      const response = await post(server, json(split), 'application/json');
      const csv = await post(server, 'a,b\n4,0.5\n', 'text/csv');

      assert.deepEqual(response.body, { predictions: [4, 17] });
      assert.deepEqual(csv.body, { predictions: [8.5] });
      assert.match(server.readyLine, /\(pickle: Doubler from model\.pkl\)/);
    } finally {
      await server.stop();
    }
  });

  test('a scikit-learn model saved with joblib is scored by its fitted column names', async (t) => {
    const python = '/usr/bin/python3';
    const missing = pythonHas(python, ['sklearn', 'joblib', 'pandas']);
    if (missing) return t.skip(`not run: ${missing}`);
    const dir = path.join(work.dir, 'sklearn');
    mkdirSync(dir);
    const expected = JSON.parse(
      execFileSync(
        python,
        [
          '-c',
          [
            'import json, sys, joblib, pandas',
            'from sklearn.linear_model import LogisticRegression',
            'frame = pandas.DataFrame({"a": [0, 1, 2, 3, 4, 5], "b": [5, 4, 3, 2, 1, 0]})',
            'model = LogisticRegression().fit(frame, [0, 0, 0, 1, 1, 1])',
            'joblib.dump(model, sys.argv[1] + "/model.joblib")',
            'print(json.dumps(model.predict(pandas.DataFrame({"a": [0.5, 4.5], "b": [4.5, 0.5]})).tolist()))',
          ].join('\n'),
          dir,
        ],
        { encoding: 'utf8' },
      ),
    ) as number[];
    const server = await startScoringServer({ modelPath: dir, python });
    try {
      // The columns arrive in the other order; the server puts them in the fitted order.
      const records = [
        { b: 4.5, a: 0.5 },
        { b: 0.5, a: 4.5 },
      ];
      const response = await post(server, json({ dataframe_records: records }), 'application/json');
      const missingColumn = await post(
        server,
        json({ dataframe_records: [{ a: 1 }] }),
        'application/json',
      );

      assert.deepEqual(response.body, { predictions: expected });
      assert.match(server.readyLine, /\(joblib: LogisticRegression from model\.joblib\)/);
      assert.equal(missingColumn.status, 400);
      assert.match(String(missingColumn.body.message), /needs column 'b'/);
    } finally {
      await server.stop();
    }
  });

  test("mlflow's pyfunc loader serves an MLmodel folder where mlflow is installed", async (t) => {
    const python = ['python3', '/usr/bin/python3'].find((p) => !pythonHas(p, ['mlflow', 'pandas']));
    if (!python) {
      return t.skip(
        'not run: neither python3 nor /usr/bin/python3 can import mlflow (no PyPI on this machine), so the mlflow loader is untested here',
      );
    }
    const dir = path.join(work.dir, 'pyfunc');
    execFileSync(python, [
      '-c',
      [
        'import sys, mlflow.pyfunc',
        'class Add(mlflow.pyfunc.PythonModel):',
        '    def predict(self, context, model_input, params=None):',
        '        return (model_input["a"] + model_input["b"]).tolist()',
        'mlflow.pyfunc.save_model(sys.argv[1], python_model=Add())',
      ].join('\n'),
      dir,
    ]);
    const server = await startScoringServer({ modelPath: dir, python });
    try {
      const response = await post(
        server,
        json({ dataframe_records: [{ a: 1, b: 2 }] }),
        'application/json',
      );

      assert.deepEqual(response.body, { predictions: [3] });
      assert.match(server.readyLine, /\(mlflow: /);
    } finally {
      await server.stop();
    }
  });

  test('with an MLmodel file but no mlflow installed, the next loader serves the model', async (t) => {
    if (!pythonHas('python3', ['mlflow']))
      return t.skip('not run: python3 has mlflow, so it would load the MLmodel');
    const dir = writeJsonModel(path.join(work.dir, 'mlmodel-without-mlflow'));
    writeFileSync(path.join(dir, 'MLmodel'), 'flavors: {}\n');

    const server = await startScoringServer({ modelPath: dir });
    await server.stop();

    assert.match(server.readyLine, /\(json: /);
  });

  test('artifacts no loader can read fail with each loader tried and why', async () => {
    const dir = path.join(work.dir, 'unloadable');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'MLmodel'), 'flavors: {}\n');
    execFileSync('python3', [
      '-c',
      'import pickle, sys; pickle.dump({"a": 1}, open(sys.argv[1], "wb"))',
      path.join(dir, 'model.pkl'),
    ]);
    writeFileSync(path.join(dir, 'model.json'), json({ format: 'something-else' }));

    const failure = await startScoringServer({ modelPath: dir }).then(
      () => assert.fail('the server should not start'),
      (error: Error) => error.message,
    );

    assert.match(
      failure,
      /could not load a model from .*unloadable\. Tried mlflow: .*(mlflow is not installed|Error)/,
    );
    assert.match(
      failure,
      /pickle: TypeError: model\.pkl holds a dict, which has no predict method/,
    );
    assert.match(
      failure,
      /json: ValueError: model\.json is not a Model Factory JSON model: its format is 'something-else'/,
    );
  });

  test('an empty folder says that it found nothing for each loader', async () => {
    const dir = path.join(work.dir, 'empty');
    mkdirSync(dir);

    await assert.rejects(
      startScoringServer({ modelPath: dir }),
      /Tried mlflow: no MLmodel file in .*; pickle: no \.pkl, \.pickle or \.joblib file in .*; json: no model\.json in /,
    );
  });

  test('a port in use is refused in one line, naming the port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await assert.rejects(
        startScoringServer({ modelPath: writeJsonModel(path.join(work.dir, 'busy')), port }),
        new RegExp(
          `port ${port} on 127\\.0\\.0\\.1 is in use; choose another with --port, or 0 for a free one`,
        ),
      );
    } finally {
      blocker.close();
    }
  });

  test('a missing interpreter is reported with what to set', async () => {
    await assert.rejects(
      startScoringServer({ modelPath: work.dir, python: path.join(work.dir, 'no-python') }),
      /cannot start .*no-python: no such program; name a Python interpreter with --python or MODEL_FACTORY_PYTHON/,
    );
  });
});
