import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelFactory } from '../../helpers/cli';
import { RunStore } from '../../../src/core/store/store';

/** A folder with a reference and two current files: one like the reference, one drifted. */
function dataFolder(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-drift-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rows = (shift: number, days: number, colors: string[]) =>
    Array.from({ length: 200 }, (_, i) => {
      const value = Math.sin(i * 12.9898) * 43758.5453;
      const noise = value - Math.floor(value);
      return `${(noise * 10 + shift).toFixed(4)},${i % days},${colors[i % colors.length]}`;
    });
  const write = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    writeFileSync(file, `${['amount', 'weekday', 'color'].join(',')}\n${lines.join('\n')}\n`);
    return file;
  };
  return {
    dir,
    reference: write('reference.csv', rows(0, 7, ['red', 'green', 'blue'])),
    same: write('same.csv', rows(0, 7, ['red', 'green', 'blue'])),
    drifted: write('drifted.csv', rows(4, 3, ['red', 'red', 'red', 'blue'])),
    write,
  };
}

test('--json prints one object in the contract shape', async (t) => {
  const data = dataFolder(t);

  const result = await modelFactory(['drift', data.reference, data.drifted, '--json']);

  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.deepEqual(Object.keys(report.reference).sort(), ['columns', 'format', 'path', 'rows']);
  assert.equal(report.reference.rows, 200);
  assert.equal(report.current.path, data.drifted);
  for (const column of report.columns) {
    for (const key of ['column', 'kind', 'test', 'statistic', 'p_value', 'threshold', 'drift']) {
      assert.ok(key in column, `${key} in ${column.column}`);
    }
  }
  assert.deepEqual(
    Object.keys(report.dataset).sort(),
    ['correction', 'drift', 'drift_share', 'drifted', 'share', 'total'].sort(),
  );
  assert.equal(report.dataset.drift, true);
  assert.equal(report.columns.find((c: { column: string }) => c.column === 'amount').test, 'ks');
});

test('a distance test has a null p_value and its distance as the statistic', async (t) => {
  const data = dataFolder(t);

  const result = await modelFactory([
    'drift',
    data.reference,
    data.drifted,
    '--json',
    '--test',
    'wasserstein',
  ]);

  const amount = JSON.parse(result.stdout).columns.find(
    (c: { column: string }) => c.column === 'amount',
  );
  assert.equal(amount.test, 'wasserstein');
  assert.equal(amount.p_value, null);
  assert.ok(amount.statistic > 1);
});

test('--fail-on-drift exits 1 on drift and 0 without; without the flag drift exits 0', async (t) => {
  const data = dataFolder(t);

  const drifted = await modelFactory(['drift', data.reference, data.drifted, '--fail-on-drift']);
  const same = await modelFactory(['drift', data.reference, data.same, '--fail-on-drift']);
  const plain = await modelFactory(['drift', data.reference, data.drifted]);

  assert.equal(drifted.code, 1);
  assert.match(drifted.stdout, /^DRIFT DETECTED: 3 of 3 columns drifted/);
  assert.equal(same.code, 0);
  assert.match(same.stdout, /^no drift: 0 of 3 columns drifted/);
  assert.equal(plain.code, 0);
});

test('an unknown test exits 2 with one line that lists the valid names', async (t) => {
  const data = dataFolder(t);

  const result = await modelFactory(['drift', data.reference, data.same, '--test', 'kolmogorov']);

  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /unknown test 'kolmogorov'; the tests are ks, chisquare, z, /);
});

test('a missing file, a bad option value and a wrong argument count exit 2', async (t) => {
  const data = dataFolder(t);
  const missing = path.join(data.dir, 'nope.csv');

  const cases = [
    [['drift', data.reference, missing], /nope\.csv does not exist; check the path/],
    [['drift', data.dir, data.same], /is a folder/],
    [['drift', data.reference], /two files/],
    [['drift', data.reference, data.same, '--threshold', 'abc'], /--threshold takes/],
    [['drift', data.reference, data.same, '--drift-share', '1.5'], /--drift-share takes/],
    [['drift', data.reference, data.same, '--correction', 'holm'], /none, bonferroni or fdr/],
    [['drift', data.reference, data.same, '--seed=-1'], /--seed takes/],
  ] as const;
  for (const [args, message] of cases) {
    const result = await modelFactory([...args]);

    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  }
});

test('a file that cannot be parsed exits 2 naming its line', async (t) => {
  const data = dataFolder(t);
  const broken = data.write('broken.csv', ['1,2,red', '3,4', '5,6,blue']);

  const result = await modelFactory(['drift', data.reference, broken]);

  assert.equal(result.code, 2);
  assert.match(result.stderr, /broken\.csv:3/);
});

test('--html writes a self-contained page with every name escaped', async (t) => {
  const data = dataFolder(t);
  const hostile = '<img src=x onerror=alert(1)>';
  const header = `amount,weekday,"${hostile}"`;
  const reference = path.join(data.dir, 'hostile-ref.csv');
  const current = path.join(data.dir, 'hostile-cur.csv');
  writeFileSync(reference, readFileSync(data.reference, 'utf8').replace(/^.*\n/, `${header}\n`));
  writeFileSync(current, readFileSync(data.drifted, 'utf8').replace(/^.*\n/, `${header}\n`));
  const page = path.join(data.dir, 'report.html');

  const result = await modelFactory(['drift', reference, current, '--html', page]);

  assert.equal(result.code, 0, result.stderr);
  const html = readFileSync(page, 'utf8');
  assert.ok(!html.includes(hostile));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.doesNotMatch(html, /<script|https?:\/\/|src="(?!data:)/i);
  assert.match(html, /<svg[^>]*role="img"/);
});

test("a models:/ reference is the version's recorded training data, read from --store", async (t) => {
  const data = dataFolder(t);
  const store = path.join(data.dir, 'store');
  const opened = await RunStore.open(store, { idleMs: 0 });
  const { runId } = opened.createRun({ experimentId: '0' }).info;
  opened.logInputs(runId, [
    {
      dataset: {
        name: 'train',
        digest: 'abc',
        sourceType: 'local',
        source: JSON.stringify({ uri: data.reference }),
      },
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
    },
  ]);
  opened.createRegisteredModel('churn');
  opened.createModelVersion({ name: 'churn', source: `runs:/${runId}/model`, runId });
  opened.setAlias('churn', 'champion', '1');
  await opened.close();

  const result = await modelFactory([
    'drift',
    'models:/churn@champion',
    data.drifted,
    '--store',
    store,
    '--json',
  ]);
  const missing = await modelFactory([
    'drift',
    'models:/churn@nope',
    data.drifted,
    '--store',
    store,
  ]);

  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).reference.path, data.reference);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /has no alias 'nope'/);
});
