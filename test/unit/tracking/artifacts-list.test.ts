import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentTypeFor, listRunArtifacts } from '../../../src/core/tracking/artifacts';
import { tempDir } from '../../helpers/tempStore';

/**
 * listRunArtifacts answers MLflow's `artifacts/list` for a run: paths relative to the run's
 * artifact root, wherever that root is. The store's root holds run 1/run-a; an imported mlruns
 * folder elsewhere holds run 2/run-b, named by a file:// URI or a plain path.
 */
const temp = tempDir();
after(() => temp.remove());

const root = path.join(temp.dir, 'store', 'artifacts');
const mlruns = path.join(temp.dir, 'mlruns', '2', 'run-b', 'artifacts');
write(path.join(root, '1', 'run-a', 'artifacts'), {
  'model/MLmodel': 'flavors: {}\n',
  'model/weights.json': '[1, 2]',
  'metrics.csv': 'a,b\n',
});
write(mlruns, { 'plot.png': 'png', 'data/train.csv': 'x\n1\n' });
fs.writeFileSync(path.join(temp.dir, 'mlruns', 'private.txt'), 'not the run');
fs.symlinkSync(path.join(temp.dir, 'mlruns', 'private.txt'), path.join(mlruns, 'link.txt'));

function write(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

const names = (listing: ReturnType<typeof listRunArtifacts>) => listing.files.map((f) => f.path);

test('a proxied run lists its top level, with the URI as root_uri', () => {
  const uri = 'mlflow-artifacts:/1/run-a/artifacts';

  const listing = listRunArtifacts(root, uri);

  assert.deepEqual(listing, {
    root_uri: uri,
    files: [
      { path: 'metrics.csv', is_dir: false, file_size: 4 },
      { path: 'model', is_dir: true },
    ],
  });
});

test('a subfolder lists with paths relative to the run, as MLflow names them', () => {
  const listing = listRunArtifacts(root, 'mlflow-artifacts:/1/run-a/artifacts', 'model');

  assert.deepEqual(listing.files, [
    { path: 'model/MLmodel', is_dir: false, file_size: 12 },
    { path: 'model/weights.json', is_dir: false, file_size: 6 },
  ]);
  assert.deepEqual(names(listRunArtifacts(root, 'mlflow-artifacts:/1/run-a/artifacts', 'model/')), [
    'model/MLmodel',
    'model/weights.json',
  ]);
});

test('a proxied URI with a host, or a trailing slash, names the same folder', () => {
  const expected = ['metrics.csv', 'model'];

  assert.deepEqual(
    names(listRunArtifacts(root, 'mlflow-artifacts://localhost:5000/1/run-a/artifacts')),
    expected,
  );
  assert.deepEqual(names(listRunArtifacts(root, 'mlflow-artifacts:/1/run-a/artifacts/')), expected);
});

test('a run without artifacts, or a path naming a file, lists as empty', () => {
  assert.deepEqual(listRunArtifacts(root, 'mlflow-artifacts:/1/run-z/artifacts').files, []);
  assert.deepEqual(
    listRunArtifacts(root, 'mlflow-artifacts:/1/run-a/artifacts', 'metrics.csv').files,
    [],
  );
});

test('a file:// URI and a plain absolute path list the folder they name', () => {
  const uri = pathToFileURL(mlruns).href;

  const byUri = listRunArtifacts(root, uri);
  const byPath = listRunArtifacts(root, mlruns, 'data');

  assert.equal(byUri.root_uri, uri);
  assert.deepEqual(byUri.files, [
    { path: 'data', is_dir: true },
    { path: 'plot.png', is_dir: false, file_size: 3 },
  ]);
  assert.deepEqual(byPath.files, [{ path: 'data/train.csv', is_dir: false, file_size: 4 }]);
});

test('a local run folder confines its listing: no way up, and no link out is listed', () => {
  const uri = pathToFileURL(mlruns).href;

  assert.ok(!names(listRunArtifacts(root, uri)).includes('link.txt'));
  assert.throws(() => listRunArtifacts(root, uri, '..'), { code: 'INVALID_PARAMETER_VALUE' });
  assert.throws(() => listRunArtifacts(root, uri, 'link.txt'), { code: 'INVALID_PARAMETER_VALUE' });
});

test('a traversal in the path or in a proxied URI is refused', () => {
  const uri = 'mlflow-artifacts:/1/run-a/artifacts';

  for (const bad of ['../..', '/etc', 'model/../../..', 'a\\b']) {
    assert.throws(() => listRunArtifacts(root, uri, bad), { code: 'INVALID_PARAMETER_VALUE' }, bad);
  }
  assert.throws(() => listRunArtifacts(root, 'mlflow-artifacts:/../../mlruns'), {
    code: 'INVALID_PARAMETER_VALUE',
  });
});

test('artifacts kept in a remote store, or at a relative path, are refused with a reason', () => {
  for (const uri of ['s3://bucket/0/run/artifacts', 'relative/artifacts']) {
    assert.throws(() => listRunArtifacts(root, uri), {
      code: 'INVALID_PARAMETER_VALUE',
      message: /not stored on this machine/,
    });
  }
});

test('content types follow the name, with MLflow text files as text and unknown as bytes', () => {
  const types = ['MLmodel', 'requirements.txt', 'x.JSON', 'a.svg', 'model.safetensors'].map(
    contentTypeFor,
  );

  assert.deepEqual(types, [
    'text/plain; charset=utf-8',
    'text/plain; charset=utf-8',
    'application/json',
    'image/svg+xml',
    'application/octet-stream',
  ]);
});
