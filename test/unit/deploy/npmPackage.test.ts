import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { registerRun } from '../../../src/core/deploy';
import { RunStore } from '../../../src/core/store/store';
import { tempDir } from '../../helpers/tempStore';
import { logisticClass, root, writeArtifacts, LOGISTIC_MODEL } from './helpers';

/**
 * The npm package as a pipeline gets it: `npm pack` of this repository's files and its built
 * dist/ (npm test builds it first), installed with `npm install -g` into a folder of its own,
 * offline, since the bundles carry every dependency. The installed `model-factory` then checks
 * data for drift and scores a registered model with its own sql.js wasm and Python files.
 */

/** npm without the variables `npm test` sets for its scripts, which would steer the child. */
function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_(config|lifecycle|package)_/i.test(key)),
  );
  const result = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `npm ${args.join(' ')} failed:\n${result.stderr}`);
  return result;
}

describe('the npm package, installed globally from its tarball', () => {
  let work: ReturnType<typeof tempDir>;
  let packed: { filename: string; size: number; entryCount: number; files: { path: string }[] };
  let bin: string;
  const mf = (args: string[], cwd = work.dir) =>
    spawnSync(bin, args, {
      cwd,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });

  before(() => {
    assert.ok(
      existsSync(path.join(root, 'dist/cli.js')),
      'dist/ is not built: run `node esbuild.mjs` (npm test does) before this test',
    );
    work = tempDir('mf-npm-package-');
    // --ignore-scripts: the prepack build would rewrite dist/ under the other tests' feet.
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work.dir], root);
    [packed] = JSON.parse(pack.stdout);
    const prefix = path.join(work.dir, 'global');
    npm(
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        path.join(work.dir, packed.filename),
        '--offline',
        '--no-audit',
        '--no-fund',
      ],
      work.dir,
    );
    bin = path.join(prefix, 'bin', 'model-factory');
  });
  after(() => work?.remove());

  test('the tarball holds the bundles, the wasm and the Python files, and no sources', () => {
    const files = packed.files.map((file) => file.path);

    for (const needed of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/cli.js',
      'dist/readWorker.js',
      'dist/sql-wasm.wasm',
      'dist/extension.js',
      'media/python/model_factory_serve.py',
      'media/python/model_factory_models.py',
      'media/python/model_factory.py',
    ]) {
      assert.ok(files.includes(needed), `${needed} is missing from the tarball`);
    }
    const stray = files.filter((file) =>
      /^(src|test|bench|node_modules)\/|\.map$|\.ts$|\.tgz$/.test(file),
    );
    assert.deepEqual(stray, []);
    assert.equal(existsSync(path.join(root, packed.filename)), false, 'no tarball left behind');
  });

  test('the installed package declares no dependencies, so an install fetches nothing', () => {
    const installed = path.join(work.dir, 'global/lib/node_modules/model-factory');
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));

    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.bin, { 'model-factory': 'dist/cli.js' });
    assert.equal(existsSync(path.join(installed, 'node_modules')), false);
  });

  test('model-factory --version and --help answer from the installed copy', () => {
    const version = mf(['--version']);
    const help = mf(['--help']);

    assert.equal(version.status, 0, version.stderr);
    assert.equal(
      version.stdout,
      `${JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version}\n`,
    );
    assert.equal(help.status, 0, help.stderr);
    for (const command of ['serve', 'runs', 'drift', 'score', 'serve-model', 'compare']) {
      assert.match(help.stdout, new RegExp(`^  ${command} +\\S`, 'm'));
    }
  });

  test('model-factory drift compares two CSV files and prints the JSON report', () => {
    const lines = (offset: number) => [
      'x,segment',
      ...Array.from({ length: 60 }, (_, i) => `${i + offset},${'abc'[i % 3]}`),
    ];
    writeFileSync(path.join(work.dir, 'reference.csv'), lines(0).join('\n') + '\n');
    writeFileSync(path.join(work.dir, 'current.csv'), lines(500).join('\n') + '\n');

    const result = mf(['drift', 'reference.csv', 'current.csv', '--json', '--fail-on-drift']);

    assert.equal(result.status, 1, `exit 1 for a dataset that drifted: ${result.stderr}`);
    const report = JSON.parse(result.stdout);
    assert.equal(report.reference.rows, 60);
    assert.equal(report.current.path, path.join(work.dir, 'current.csv'));
    const drifted = Object.fromEntries(
      report.columns.map((column: { column: string; drift: boolean }) => [
        column.column,
        column.drift,
      ]),
    );
    assert.deepEqual(drifted, { x: true, segment: false });
    assert.equal(report.dataset.drift, true);
    assert.equal(report.dataset.drifted, 1);
  });

  test('model-factory drift reads Parquet files with the bundled reader', () => {
    const fixtures = path.join(root, 'test/fixtures/data');

    const result = mf(['drift', 'snappy.parquet', 'gzip.parquet', '--json'], fixtures);

    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.reference.rows, 1000);
    assert.equal(report.dataset.drift, false);
  });

  test('model-factory score loads a registered model with the bundled Python files', async () => {
    const storeDir = path.join(work.dir, 'store');
    const store = await RunStore.open(storeDir, { idleMs: 0 });
    const experimentId = store.createExperiment('churn');
    const runId = store.createRun({ experimentId, startTime: Date.now() }).info.runId;
    writeArtifacts(store, runId, { 'model/model.json': JSON.stringify(LOGISTIC_MODEL) });
    registerRun(store, runId, { name: 'churn' });
    await store.close();
    const rows: Array<[number, string]> = [
      [3, 'blue'],
      [-1, 'red'],
      [0, 'blue'],
    ];
    const batch = ['x,color', ...rows.map(([x, color]) => `${x},${color}`)].join('\n');
    writeFileSync(path.join(work.dir, 'batch.csv'), `${batch}\n`);

    const result = mf([
      'score',
      'models:/churn/1',
      'batch.csv',
      '--out',
      'scored.csv',
      '--store',
      storeDir,
    ]);

    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Scored 3 rows of batch\.csv with models:\/churn\/1 /);
    const [header, ...scored] = readFileSync(path.join(work.dir, 'scored.csv'), 'utf8')
      .trim()
      .split('\n');
    assert.deepEqual(header.split(','), ['x', 'color', 'prediction']);
    assert.deepEqual(
      scored.map((line) => Number(line.split(',')[2])),
      rows.map(([x, color]) => logisticClass(x, color)),
    );
  });
});
