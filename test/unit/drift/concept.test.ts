import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelFactory } from '../../helpers/cli';

/** Park-Miller, so the generated files are the same on every machine. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
}

interface Files {
  dir: string;
  write(name: string, rows: number, errorRate: (row: number) => number): string;
}

function folder(t: { after(fn: () => void): void }): Files {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-concept-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name, rows, errorRate) {
      const next = generator(name.length * 7919 + rows);
      const lines = ['feature,label,predicted,ts'];
      for (let row = 0; row < rows; row++) {
        const label = next() < 0.5 ? 1 : 0;
        const predicted = next() < errorRate(row) ? 1 - label : label;
        // The time column runs backwards, so ordering by it reverses the stream.
        lines.push(`${next().toFixed(5)},${label},${predicted},${rows - row}`);
      }
      const file = path.join(dir, name);
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    },
  };
}

async function conceptReport(args: string[]) {
  const result = await modelFactory(['drift', ...args, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).concept;
}

test('an error rate that rises halfway is found by the metrics, the error test and the detectors', async (t) => {
  const files = folder(t);
  const reference = files.write('reference.csv', 2000, () => 0.1);
  const current = files.write('current.csv', 2000, (row) => (row < 1000 ? 0.1 : 0.4));

  const concept = await conceptReport([
    reference,
    current,
    '--target',
    'label',
    '--prediction',
    'predicted',
  ]);

  assert.equal(concept.task, 'classification');
  assert.ok(Math.abs(concept.reference.accuracy - 0.9) < 0.03);
  assert.ok(Math.abs(concept.current.accuracy - 0.75) < 0.04);
  assert.ok(concept.change.accuracy < -0.1);
  assert.equal(concept.error_test.test, 'z');
  assert.equal(concept.error_test.drift, true);
  assert.deepEqual(
    concept.detectors.map((d: { name: string }) => d.name),
    ['DDM', 'EDDM', 'HDDM_A', 'HDDM_W', 'ADWIN', 'PageHinkley', 'KSWIN'],
  );
  const detector = (name: string) =>
    concept.detectors.find((d: { name: string }) => d.name === name);
  for (const name of ['HDDM_A', 'ADWIN']) {
    const first = detector(name).drift[0];
    assert.ok(first >= 1000 && first < 1400, `${name} first fires at ${first}`);
  }
  // DDM is quick to fire on a short, calm start (river's own does, see §8.4), so only ask that
  // it also fires after the change.
  assert.ok(detector('DDM').drift.some((row: number) => row >= 1000 && row < 1500));
  assert.ok(concept.detectors.every((d: { status: string }) => d.status === 'ok'));
});

test('with --time the detectors read the rows in time order and still name file rows', async (t) => {
  const files = folder(t);
  const reference = files.write('reference.csv', 2000, () => 0.1);
  const current = files.write('current.csv', 2000, (row) => (row < 1000 ? 0.4 : 0.1));

  const concept = await conceptReport([
    reference,
    current,
    '--target',
    'label',
    '--prediction',
    'predicted',
    '--time',
    'ts',
  ]);

  // Time runs backwards, so in time order the bad half comes second: a rise at file row < 1000.
  const hddm = concept.detectors.find((d: { name: string }) => d.name === 'HDDM_A');
  assert.ok(hddm.drift.length > 0);
  assert.ok(
    hddm.drift[0] < 1000 && hddm.drift[0] > 600,
    `first drift at file row ${hddm.drift[0]}`,
  );
});

test('a regression target gets MAE, RMSE, R², a KS test of the errors and the real-valued detectors', async (t) => {
  const files = folder(t);
  const write = (name: string, noise: number) => {
    const next = generator(noise * 1000 + 3);
    const lines = ['x,y,y_hat'];
    for (let row = 0; row < 500; row++) {
      const x = next() * 10;
      lines.push(`${x},${2 * x + 1},${2 * x + 1 + (next() - 0.5) * noise}`);
    }
    writeFileSync(path.join(files.dir, name), `${lines.join('\n')}\n`);
    return path.join(files.dir, name);
  };

  const concept = await conceptReport([
    write('reference.csv', 1),
    write('current.csv', 4),
    '--target',
    'y',
    '--prediction',
    'y_hat',
  ]);

  assert.equal(concept.task, 'regression');
  assert.deepEqual(Object.keys(concept.reference), ['mae', 'rmse', 'r2']);
  assert.ok(Math.abs(concept.reference.mae - 0.25) < 0.03);
  assert.ok(Math.abs(concept.current.mae - 1) < 0.1);
  assert.equal(concept.error_test.test, 'ks');
  assert.equal(concept.error_test.drift, true);
  assert.deepEqual(
    concept.detectors.map((d: { name: string }) => d.name),
    ['ADWIN', 'PageHinkley', 'KSWIN'],
  );
});

test('a current file shorter than a warm-up says "not enough rows", not "no drift"', async (t) => {
  const files = folder(t);

  const concept = await conceptReport([
    files.write('reference.csv', 200, () => 0.1),
    files.write('current.csv', 25, () => 0.1),
    '--target',
    'label',
    '--prediction',
    'predicted',
  ]);

  const status = Object.fromEntries(
    concept.detectors.map((d: { name: string; status: string }) => [d.name, d.status]),
  );
  assert.equal(status.DDM, 'not enough rows');
  assert.equal(status.KSWIN, 'not enough rows');
  assert.equal(status.HDDM_A, 'ok');
});

test('a missing target, a lone --target and kinds that differ exit 2 naming the column', async (t) => {
  const files = folder(t);
  const reference = files.write('reference.csv', 100, () => 0.1);
  const current = files.write('current.csv', 100, () => 0.1);
  const text = path.join(files.dir, 'text.csv');
  writeFileSync(text, 'feature,label,predicted,ts\n0.1,1,yes,1\n0.2,0,no,2\n');

  const cases = [
    [
      [reference, current, '--target', 'churned', '--prediction', 'predicted'],
      /no target column 'churned'/,
    ],
    [[reference, current, '--target', 'label'], /--target and --prediction go together/],
    [
      [text, text, '--target', 'label', '--prediction', 'predicted'],
      /'label' holds numbers but prediction column 'predicted' holds text/,
    ],
  ] as const;
  for (const [args, message] of cases) {
    const result = await modelFactory(['drift', ...args]);

    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message);
  }
});

test('the table output and the HTML report carry the concept section', async (t) => {
  const files = folder(t);
  const reference = files.write('reference.csv', 2000, () => 0.1);
  const current = files.write('current.csv', 2000, (row) => (row < 1000 ? 0.1 : 0.4));
  const page = path.join(files.dir, 'report.html');

  const result = await modelFactory([
    'drift',
    reference,
    current,
    '--target',
    'label',
    '--prediction',
    'predicted',
    '--html',
    page,
  ]);

  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /concept drift \(classification\), reference -> current:/);
  assert.match(result.stdout, /DDM: drift at row/);
  const html = (await import('node:fs')).readFileSync(page, 'utf8');
  assert.match(html, /Concept drift \(classification\)/);
  assert.match(html, /<polyline points=/);
  assert.match(html, /<title>DDM at row \d+<\/title>/);
});
