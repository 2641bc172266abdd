import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { resolveInside } from '../../../src/core/tracking/artifacts';
import {
  ARTIFACTS_PREFIX,
  startArtifactServer,
  type ArtifactServer,
} from '../../helpers/artifactServer';
import { tempDir } from '../../helpers/tempStore';

/**
 * Every way out of the artifacts root, tried against a real server. The layout: a secret file
 * and an `outside` folder beside the store, and links inside the root that lead to them.
 */
const SECRET = 'the secret that must never be served';
const temp = tempDir();
const root = path.join(temp.dir, 'store', 'artifacts');
const run = path.join(root, '0', 'run-1', 'artifacts');
const secret = path.join(temp.dir, 'secret.txt');
const outside = path.join(temp.dir, 'outside');
let server: ArtifactServer;

before(async () => {
  fs.mkdirSync(run, { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(secret, SECRET);
  fs.writeFileSync(path.join(outside, 'inner.txt'), SECRET);
  fs.writeFileSync(path.join(run, 'real.txt'), 'real');
  fs.symlinkSync(secret, path.join(run, 'leak.txt'));
  fs.symlinkSync(outside, path.join(run, 'outdir'));
  fs.symlinkSync(path.join(outside, 'new.txt'), path.join(run, 'dangling'));
  fs.symlinkSync(outside, path.join(root, '0', 'escape'));
  fs.symlinkSync(path.join(run, 'real.txt'), path.join(run, 'alias.txt'));
  server = await startArtifactServer(root);
});

after(async () => {
  await server.close();
  temp.remove();
});

/**
 * Sends a path exactly as written. fetch() cannot: URL parsing resolves `..` and `%2e%2e` and
 * turns backslashes into slashes before anything is sent.
 */
function raw(method: string, rawPath: string, body?: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port: server.port,
      method,
      path: ARTIFACTS_PREFIX + rawPath,
    });
    request.on('error', reject);
    request.on('response', async (response) => {
      let text = '';
      for await (const chunk of response) text += chunk;
      resolve({ status: response.statusCode ?? 0, text });
    });
    request.end(body);
  });
}

/** Every file and link under the temporary folder with its content, to show nothing changed. */
function snapshot(): string {
  const entries = fs.readdirSync(temp.dir, { recursive: true, withFileTypes: true });
  return entries
    .map((entry) => {
      const full = path.join(entry.parentPath, entry.name);
      const content = entry.isFile() ? fs.readFileSync(full, 'utf8') : '';
      const link = entry.isSymbolicLink() ? `-> ${fs.readlinkSync(full)}` : '';
      return `${path.relative(temp.dir, full)} ${link}${content}`;
    })
    .sort()
    .join('\n');
}

function assertRefused(response: { status: number; text: string }, what: string) {
  assert.equal(response.status, 400, `${what}: ${response.text}`);
  assert.equal(JSON.parse(response.text).error_code, 'INVALID_PARAMETER_VALUE', what);
  assert.ok(!response.text.includes(SECRET), `${what} leaked the secret`);
}

const TRAVERSALS = [
  '/../../secret.txt',
  '/0/run-1/artifacts/../../../../../secret.txt',
  '/%2e%2e/%2e%2e/secret.txt',
  '/%2E%2e/%2e%2E/secret.txt',
  '/.%2e/.%2E/secret.txt',
  '/0/run-1/artifacts/./real.txt',
  '/..%2f..%2fsecret.txt',
  '/..%2F..%2Fsecret.txt',
  '/0/run-1/artifacts/a%2fb.txt',
  '/..%5c..%5csecret.txt',
  '/0/run-1/artifacts/a%5Cb.txt',
  '/..\\..\\secret.txt',
  '/0/run-1/artifacts/a\\b.txt',
  '/0/run-1/artifacts/real.txt%00.png',
  '/0/run-1/artifacts/%00',
  `/${secret}`,
  '/C:/Windows/win.ini',
  '/0/run-1/artifacts/%E0%A4%A',
];

test('every traversal in a request path is refused for GET, PUT and DELETE', async () => {
  const before = snapshot();

  for (const rawPath of TRAVERSALS) {
    assertRefused(await raw('GET', rawPath), `GET ${rawPath}`);
    assertRefused(await raw('PUT', rawPath, 'pwned'), `PUT ${rawPath}`);
    assertRefused(await raw('DELETE', rawPath), `DELETE ${rawPath}`);
  }

  assert.equal(snapshot(), before);
});

test('every traversal in a listing path is refused', async () => {
  const paths = ['..', '../..', '0/../..', '0/run-1/../../..', '/', secret, 'a\\b', 'a\0b', 'C:/x'];

  for (const dir of paths) {
    const query = new URLSearchParams({ path: dir }).toString();
    assertRefused(await raw('GET', `?${query}`), `list ${JSON.stringify(dir)}`);
  }
});

test('a link inside the root that points outside it is neither read nor listed', async () => {
  const reads = ['leak.txt', 'outdir/inner.txt', 'dangling'].map(
    (name) => `/0/run-1/artifacts/${name}`,
  );
  reads.push('/0/escape/inner.txt');

  for (const rawPath of reads) assertRefused(await raw('GET', rawPath), `GET ${rawPath}`);
  for (const dir of ['0/run-1/artifacts/outdir', '0/escape']) {
    assertRefused(await raw('GET', `?path=${encodeURIComponent(dir)}`), `list ${dir}`);
  }
  const listing = JSON.parse((await raw('GET', '?path=0/run-1/artifacts')).text);
  assert.deepEqual(
    listing.files.map((file: { path: string }) => file.path),
    ['alias.txt', 'real.txt'],
  );
});

test('a link inside the root that points outside it is never written through', async () => {
  const before = snapshot();

  const writes = ['leak.txt', 'outdir/new.txt', 'dangling', 'outdir/deeper/x.txt'].map(
    (name) => `/0/run-1/artifacts/${name}`,
  );
  writes.push('/0/escape/planted.txt');
  for (const rawPath of writes) assertRefused(await raw('PUT', rawPath, 'pwned'), `PUT ${rawPath}`);

  assert.equal(snapshot(), before);
  assert.equal(fs.readFileSync(secret, 'utf8'), SECRET);
  assert.deepEqual(fs.readdirSync(outside), ['inner.txt']);
});

test('a link inside the root that points outside it is not deleted, nor what it points at', async () => {
  const before = snapshot();

  for (const name of ['0/run-1/artifacts/leak.txt', '0/run-1/artifacts/outdir', '0/escape']) {
    assertRefused(await raw('DELETE', `/${name}`), `DELETE ${name}`);
  }
  assertRefused(await raw('DELETE', '/0/escape/inner.txt'), 'DELETE through a link');

  assert.equal(snapshot(), before);
});

test('a link that stays inside the root is followed like a file', async () => {
  const response = await raw('GET', '/0/run-1/artifacts/alias.txt');

  assert.deepEqual(response, { status: 200, text: 'real' });
});

test('the root and an experiment folder cannot be deleted, however they are spelled', async () => {
  const before = snapshot();

  for (const rawPath of ['', '/', '//', '/0', '/0/', '/0//']) {
    assertRefused(await raw('DELETE', rawPath), `DELETE ${JSON.stringify(rawPath)}`);
  }

  assert.equal(snapshot(), before);
});

test('resolveInside returns paths under the root and refuses every way out', () => {
  assert.equal(resolveInside(root, '0/run-1/artifacts/x.txt'), path.join(run, 'x.txt'));
  assert.equal(resolveInside(root, ''), root);
  assert.equal(resolveInside(root, '..notes/...'), path.join(root, '..notes', '...'));

  for (const bad of ['..', 'a/../..', '/etc/passwd', 'a\\..\\b', 'a\0b', 'C:\\x']) {
    assert.throws(() => resolveInside(root, bad), { code: 'INVALID_PARAMETER_VALUE' }, bad);
  }
  for (const link of ['0/run-1/artifacts/leak.txt', '0/run-1/artifacts/outdir/x', '0/escape/y']) {
    assert.throws(() => resolveInside(root, link), { code: 'INVALID_PARAMETER_VALUE' }, link);
  }
});
