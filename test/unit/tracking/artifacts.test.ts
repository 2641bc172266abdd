import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startArtifactServer, type ArtifactServer } from '../../helpers/artifactServer';
import { tempDir } from '../../helpers/tempStore';

const temp = tempDir();
const root = path.join(temp.dir, 'artifacts');
let server: ArtifactServer;

before(async () => (server = await startArtifactServer(root)));
after(async () => {
  await server.close();
  temp.remove();
});

const list = async (dir?: string) =>
  (await fetch(server.url(dir === undefined ? '' : `?path=${encodeURIComponent(dir)}`))).json();

/** Files of a folder, recursively, as sorted forward-slash paths; [] when it does not exist. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

test('an uploaded binary file downloads byte for byte, with its length and safe headers', async () => {
  const bytes = Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    randomBytes(70_000),
  ]);

  const upload = await server.put('/1/run-a/artifacts/model/data/weights.bin', bytes);
  const download = await fetch(server.url('/1/run-a/artifacts/model/data/weights.bin'));

  assert.equal(upload.status, 200);
  assert.deepEqual(await upload.json(), {});
  assert.equal(download.status, 200);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
  assert.equal(download.headers.get('content-length'), String(bytes.length));
  assert.equal(download.headers.get('content-type'), 'application/octet-stream');
  assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(download.headers.get('content-security-policy'), "default-src 'none'; sandbox");
});

test('an upload lands under the root at its path, creating the folders on the way', async () => {
  await server.put('/1/run-b/artifacts/a/b/c/deep.txt', 'deep');

  const file = path.join(root, '1', 'run-b', 'artifacts', 'a', 'b', 'c', 'deep.txt');
  assert.equal(fs.readFileSync(file, 'utf8'), 'deep');
});

test('downloads carry a content type chosen from the file name', async () => {
  const cases: Array<[string, string]> = [
    ['metrics.json', 'application/json'],
    ['MLmodel', 'text/plain; charset=utf-8'],
    ['conda.yaml', 'text/plain; charset=utf-8'],
    ['train.log', 'text/plain; charset=utf-8'],
    ['plot.png', 'image/png'],
    ['report.html', 'text/html; charset=utf-8'],
    ['model.pkl', 'application/octet-stream'],
  ];

  for (const [name] of cases) await server.put(`/1/run-c/artifacts/${name}`, 'x');
  const types = await Promise.all(
    cases.map(async ([name]) => {
      const response = await fetch(server.url(`/1/run-c/artifacts/${name}`));
      await response.arrayBuffer();
      return [name, response.headers.get('content-type')];
    }),
  );

  assert.deepEqual(types, cases);
});

test('a file name with spaces and non-ASCII letters round-trips through percent-encoding', async () => {
  const rest = `/1/run-d/artifacts/${encodeURIComponent('résumé 1.txt')}`;

  await server.put(rest, 'hello');

  assert.equal(await (await fetch(server.url(rest))).text(), 'hello');
  assert.ok(fs.existsSync(path.join(root, '1', 'run-d', 'artifacts', 'résumé 1.txt')));
});

test('listing names entries relative to the listed folder, with sizes only for files', async () => {
  await server.put('/2/run-e/artifacts/model/MLmodel', 'flavors: {}\n');
  await server.put('/2/run-e/artifacts/model/weights.json', '[1,2,3]');
  await server.put('/2/run-e/artifacts/notes.txt', 'hi');

  assert.deepEqual(await list('2/run-e/artifacts'), {
    files: [
      { path: 'model', is_dir: true },
      { path: 'notes.txt', is_dir: false, file_size: 2 },
    ],
  });
  assert.deepEqual(await list('2/run-e/artifacts/model'), {
    files: [
      { path: 'MLmodel', is_dir: false, file_size: 12 },
      { path: 'weights.json', is_dir: false, file_size: 7 },
    ],
  });
  assert.deepEqual(await list('2/run-e/artifacts/model/'), await list('2/run-e/artifacts/model'));
  assert.ok((await list()).files.some((f: { path: string }) => f.path === '2'));
});

test('a missing folder, or a file, lists as empty, as MLflow answers', async () => {
  await server.put('/2/run-f/artifacts/only.txt', 'x');

  assert.deepEqual(await list('2/run-f/artifacts/nothing-here'), {});
  assert.deepEqual(await list('2/run-f/artifacts/only.txt'), {});
});

test('an upload replaces an existing file whole', async () => {
  await server.put('/3/run-g/artifacts/v.txt', 'first version, longer');

  await server.put('/3/run-g/artifacts/v.txt', 'second');

  assert.equal(await (await fetch(server.url('/3/run-g/artifacts/v.txt'))).text(), 'second');
});

test('a missing artifact is a 404 with RESOURCE_DOES_NOT_EXIST', async () => {
  const response = await fetch(server.url('/3/run-g/artifacts/absent.bin'));

  assert.equal(response.status, 404);
  assert.equal((await response.json()).error_code, 'RESOURCE_DOES_NOT_EXIST');
});

test('a folder can be neither downloaded nor overwritten by an upload', async () => {
  await server.put('/3/run-h/artifacts/dir/inner.txt', 'x');

  const download = await fetch(server.url('/3/run-h/artifacts/dir'));
  const upload = await server.put('/3/run-h/artifacts/dir', 'y');

  assert.equal(download.status, 400);
  assert.equal(upload.status, 400);
  assert.equal((await upload.json()).error_code, 'INVALID_PARAMETER_VALUE');
  assert.equal(fs.readFileSync(path.join(root, '3/run-h/artifacts/dir/inner.txt'), 'utf8'), 'x');
});

test(
  'a FIFO in the folder is refused rather than opened, which would wait for a writer',
  { skip: process.platform === 'win32' && 'no FIFOs on Windows', timeout: 10_000 },
  async () => {
    fs.mkdirSync(path.join(root, '3/run-p/artifacts'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, '3/run-p/artifacts/pipe')]);

    const response = await fetch(server.url('/3/run-p/artifacts/pipe'));

    assert.equal(response.status, 400);
    assert.match((await response.json()).message, /not a regular file/);
  },
);

test('an upload under a path whose parent is a file is refused', async () => {
  await server.put('/3/run-i/artifacts/plain.txt', 'x');

  const response = await server.put('/3/run-i/artifacts/plain.txt/child.txt', 'y');

  assert.equal(response.status, 400);
  assert.equal((await response.json()).error_code, 'INVALID_PARAMETER_VALUE');
  assert.deepEqual(filesUnder(path.join(root, '3/run-i')), ['artifacts/plain.txt']);
});

test('deleting removes a file or a whole folder, and deleting what is missing succeeds', async () => {
  await server.put('/4/run-j/artifacts/keep.txt', 'k');
  await server.put('/4/run-j/artifacts/gone.txt', 'g');
  await server.put('/4/run-j/artifacts/sub/a.txt', 'a');

  const file = await fetch(server.url('/4/run-j/artifacts/gone.txt'), { method: 'DELETE' });
  const folder = await fetch(server.url('/4/run-j/artifacts/sub'), { method: 'DELETE' });
  const missing = await fetch(server.url('/4/run-j/artifacts/never'), { method: 'DELETE' });

  assert.deepEqual([file.status, folder.status, missing.status], [200, 200, 200]);
  assert.deepEqual(await file.json(), {});
  assert.deepEqual(filesUnder(path.join(root, '4/run-j')), ['artifacts/keep.txt']);
});

test('a whole run folder may be deleted, but not the root or an experiment folder', async () => {
  await server.put('/5/run-k/artifacts/a.txt', 'a');
  await server.put('/5/run-l/artifacts/b.txt', 'b');

  const statuses = [];
  for (const rest of ['', '/', '/5', '/5/']) {
    statuses.push((await fetch(server.url(rest), { method: 'DELETE' })).status);
  }
  const run = await fetch(server.url('/5/run-k'), { method: 'DELETE' });

  assert.deepEqual(statuses, [400, 400, 400, 400]);
  assert.equal(run.status, 200);
  assert.deepEqual(filesUnder(path.join(root, '5')), ['run-l/artifacts/b.txt']);
});

test('methods other than GET, PUT and DELETE are not served', async () => {
  const response = await fetch(server.url('/5/run-l/artifacts/b.txt'), { method: 'POST' });

  assert.equal(response.status, 404);
  assert.equal((await response.json()).error_code, 'ENDPOINT_NOT_FOUND');
});
