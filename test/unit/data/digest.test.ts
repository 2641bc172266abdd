import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { DIGEST_CHUNK_BYTES, fileDigest } from '../../../src/core/data/digest';
import { dataFiles } from './helpers';

/** What coreutils says the file's sha256 is: an implementation that shares no code with ours. */
function sha256sum(file: string): string {
  return execFileSync('sha256sum', ['-b', file], { encoding: 'utf8' }).split(' ')[0];
}

/** Bytes that never repeat with the chunk size, so a chunk hashed twice or skipped shows. */
function patterned(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 12345;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

test('the digest of a small file is the sha256 that sha256sum prints', async (t) => {
  const file = dataFiles(t)('small.csv', 'a,b\n1,x\n2,y\n');

  const digest = await fileDigest(file);

  assert.match(digest, /^[0-9a-f]{64}$/);
  assert.equal(digest, sha256sum(file));
});

test('a file of several chunks and a partial last one is hashed whole and only once', async (t) => {
  const length = DIGEST_CHUNK_BYTES * 2 + 12_345;
  const file = dataFiles(t)('large.bin', patterned(length));

  const digest = await fileDigest(file);

  assert.equal(digest, sha256sum(file));
});

test('a file of exactly one chunk is hashed as sha256sum hashes it', async (t) => {
  const file = dataFiles(t)('one-chunk.bin', patterned(DIGEST_CHUNK_BYTES));

  assert.equal(await fileDigest(file), sha256sum(file));
});

test('an empty file has the sha256 of no bytes', async (t) => {
  const file = dataFiles(t)('empty.csv', '');

  const digest = await fileDigest(file);

  assert.equal(digest, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(digest, sha256sum(file));
});

test('files that differ in one byte have different digests', async (t) => {
  const write = dataFiles(t);
  const bytes = patterned(DIGEST_CHUNK_BYTES + 10);
  const first = write('first.bin', bytes);
  bytes[DIGEST_CHUNK_BYTES + 5] ^= 1;
  const second = write('second.bin', bytes);

  assert.notEqual(await fileDigest(first), await fileDigest(second));
});

test('a missing file rejects with the file system error', async (t) => {
  const file = path.join(path.dirname(dataFiles(t)('here.csv', 'a\n')), 'absent.csv');

  await assert.rejects(fileDigest(file), { code: 'ENOENT' });
});

test('an aborted signal rejects before the file is opened', async () => {
  const controller = new AbortController();
  controller.abort();

  await assert.rejects(fileDigest('/no/such/file.csv', controller.signal), {
    name: 'AbortError',
  });
});

test('aborting while the file is being read rejects with the abort', async (t) => {
  const file = dataFiles(t)('large.bin', patterned(DIGEST_CHUNK_BYTES * 3));
  const controller = new AbortController();

  const digest = fileDigest(file, controller.signal);
  controller.abort();

  await assert.rejects(digest, { name: 'AbortError' });
});
