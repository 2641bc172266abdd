import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { startScoringServer, type ScoringServer } from '../../../src/core/deploy';
import { tempDir } from '../../helpers/tempStore';
import { logisticClass, postRows, SAMPLE_ROWS, writeJsonModel } from './helpers';

/**
 * The bundled scoring server (media/python/model_factory_serve.py) in a real python3 process:
 * each request format of MLflow's scoring protocol, and each refusal, with a JSON model.
 */

const json = (body: unknown) => JSON.stringify(body);
const post = postRows;
const ROWS = SAMPLE_ROWS;
const EXPECTED = ROWS.map((row) => logisticClass(row.x, row.color));

describe('the scoring server with a JSON model', () => {
  let work: ReturnType<typeof tempDir>;
  let server: ScoringServer;
  const logs: string[] = [];

  before(async () => {
    work = tempDir('mf-serve-json-');
    server = await startScoringServer({
      modelPath: writeJsonModel(path.join(work.dir, 'model')),
      label: 'models:/tiny/1',
      onLog: (line) => logs.push(line),
    });
  });
  after(async () => {
    await server.stop();
    work.remove();
  });

  test('announces the loader and its 127.0.0.1 URL once ready', () => {
    assert.match(
      server.readyLine,
      /^Serving models:\/tiny\/1 \(json: logistic-regression from model\.json\) at http:\/\/127\.0\.0\.1:\d+$/,
    );
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  });

  test('answers GET /ping and GET /health with 200', async () => {
    for (const endpoint of ['/ping', '/health']) {
      const response = await fetch(`${server.url}${endpoint}`);
      assert.equal(response.status, 200, endpoint);
    }
  });

  test('scores dataframe_split', async () => {
    const body = {
      dataframe_split: { columns: ['x', 'color'], data: ROWS.map((r) => [r.x, r.color]) },
    };

    const response = await post(server, json(body), 'application/json');

    assert.deepEqual(response, { status: 200, body: { predictions: EXPECTED } });
  });

  test('scores dataframe_records, whatever order the keys come in', async () => {
    const records = ROWS.map((r) => ({ color: r.color, x: r.x }));

    const response = await post(server, json({ dataframe_records: records }), 'application/json');

    assert.deepEqual(response.body, { predictions: EXPECTED });
  });

  test('scores inputs given as records, as rows in the model column order, and as columns', async () => {
    const bodies = [
      { inputs: ROWS },
      { inputs: ROWS.map((r) => [r.x, r.color]) },
      { inputs: { x: ROWS.map((r) => r.x), color: ROWS.map((r) => r.color) } },
      { instances: ROWS },
    ];

    for (const body of bodies) {
      const response = await post(server, json(body), 'application/json; charset=utf-8');
      assert.deepEqual(response, { status: 200, body: { predictions: EXPECTED } }, json(body));
    }
  });

  test('scores a CSV body with a header row, numbers read as numbers', async () => {
    const csv = `x,color\n${ROWS.map((r) => `${r.x},${r.color}`).join('\n')}\n`;

    const response = await post(server, csv, 'text/csv; charset=utf-8');

    assert.deepEqual(response, { status: 200, body: { predictions: EXPECTED } });
  });

  test('an empty table gets an empty list of predictions', async () => {
    const body = { dataframe_split: { columns: ['x', 'color'], data: [] } };

    assert.deepEqual((await post(server, json(body), 'application/json')).body, {
      predictions: [],
    });
  });

  const refusals: Array<[string, string, string | undefined, number, RegExp]> = [
    ['a body that is not JSON', '{"inputs": [', 'application/json', 400, /not valid JSON/],
    [
      'a JSON body that is not an object',
      '[1, 2]',
      'application/json',
      400,
      /must be a JSON object/,
    ],
    [
      'a body in no known format',
      json({ data: [[1]] }),
      'application/json',
      400,
      /exactly one of dataframe_split, dataframe_records, inputs, instances; it has data/,
    ],
    [
      'a body in two formats at once',
      json({ inputs: ROWS, dataframe_records: ROWS }),
      'application/json',
      400,
      /exactly one of .*it has dataframe_records and inputs/,
    ],
    [
      'dataframe_split without columns',
      json({ dataframe_split: { data: [[1, 'red']] } }),
      'application/json',
      400,
      /dataframe_split must be \{"columns"/,
    ],
    [
      'a dataframe_split row of the wrong length',
      json({ dataframe_split: { columns: ['x', 'color'], data: [[1]] } }),
      'application/json',
      400,
      /row 0 has 1 values for 2 columns/,
    ],
    [
      'rows without names of the wrong length',
      json({ inputs: [[1, 'red', 3]] }),
      'application/json',
      400,
      /must hold 2 values in the model's column order \(x, color\)/,
    ],
    [
      'columns of different lengths',
      json({ inputs: { x: [1, 2], color: ['red'] } }),
      'application/json',
      400,
      /different lengths/,
    ],
    [
      'a missing column the model needs',
      json({ dataframe_records: [{ x: 1 }] }),
      'application/json',
      400,
      /the model needs column 'color', which the input lacks \(it has x\)/,
    ],
    [
      'a value that is not a number',
      json({
        dataframe_records: [
          { x: 1, color: 'red' },
          { x: 'abc', color: 'red' },
        ],
      }),
      'application/json',
      400,
      /column 'x' needs a number, but row 1 has 'abc'/,
    ],
    [
      'a missing numeric value',
      json({ dataframe_records: [{ x: null, color: 'red' }] }),
      'application/json',
      400,
      /column 'x' needs a number, but row 0 is missing/,
    ],
    [
      'a boolean where a number goes',
      json({ inputs: { x: [true], color: ['red'] } }),
      'application/json',
      400,
      /column 'x' needs a number, but row 0 is true/,
    ],
    [
      'a CSV row of the wrong length',
      'x,color\n1,red,extra\n',
      'text/csv',
      400,
      /CSV row 0 has 3 fields; the header has 2/,
    ],
    ['an empty CSV body', '', 'text/csv', 400, /CSV body is empty/],
    [
      'a body of another content type',
      'x=1',
      'text/plain',
      415,
      /cannot read a body with 'text\/plain': send application\/json or text\/csv/,
    ],
    ['a body without a content type', json({ inputs: ROWS }), undefined, 415, /no Content-Type/],
  ];
  for (const [what, body, contentType, status, message] of refusals) {
    test(`refuses ${what} with ${status} and says why`, async () => {
      const response = await post(server, body, contentType);

      assert.equal(response.status, status);
      assert.equal(response.body.error_code, 'BAD_REQUEST');
      assert.match(String(response.body.message), message);
    });
  }

  test('answers an unknown endpoint with 404 and GET /invocations with 405', async () => {
    const missing = await fetch(`${server.url}/predict`, { method: 'POST', body: '{}' });
    const get = await fetch(`${server.url}/invocations`);

    assert.equal(missing.status, 404);
    assert.equal(
      ((await missing.json()) as { error_code: string }).error_code,
      'ENDPOINT_NOT_FOUND',
    );
    assert.equal(get.status, 405);
  });

  test('refuses a request addressed to another host name (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        { host: '127.0.0.1', port: server.port, path: '/ping', headers: { Host: 'evil.example' } },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end();
    });

    assert.equal(status, 403);
  });

  test('logs each request on the log callback, not on the ready line', () => {
    assert.ok(
      logs.some((line) => /"POST \/invocations HTTP\/1\.1" 200/.test(line)),
      logs.join('\n'),
    );
  });
});
