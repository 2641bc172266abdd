import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startArtifactServer, type ArtifactServer } from '../../helpers/artifactServer';
import { tempDir } from '../../helpers/tempStore';

/** Uploads and downloads of any size stream through, and an abandoned upload leaves nothing. */
const temp = tempDir();
const root = path.join(temp.dir, 'artifacts');
let server: ArtifactServer;

// A download that fails midway is cut off, as the tracking server does, not answered twice.
before(async () => (server = await startArtifactServer(root, { destroyAfterHeaders: true })));
after(async () => {
  await server.close();
  temp.remove();
});

/**
 * A body of `chunks` 64 KiB chunks, hashed as it is produced. The chunks are views into one
 * random megabyte at shifting offsets, so the client allocates nothing per chunk and the memory
 * measured is the server's, while no two neighbouring chunks are alike.
 */
function generatedBody(chunks: number) {
  const size = 64 * 1024;
  const pattern = randomBytes(1024 * 1024);
  const hash = createHash('sha256');
  function* produce() {
    for (let i = 0; i < chunks; i++) {
      const offset = (i * 4099) % (pattern.length - size);
      const chunk = pattern.subarray(offset, offset + size);
      hash.update(chunk);
      yield chunk;
    }
  }
  return { stream: Readable.from(produce()), digest: () => hash.digest('hex') };
}

/**
 * PUTs a stream with node:http. fetch() would do, but undici keeps every chunk of a streamed
 * request body until the request is collected (nodejs/undici#4058), and in this shared process
 * that client-side copy would hide what the server holds.
 */
function streamUpload(url: string, body: Readable): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'PUT' }, (response) => {
      response.resume().on('end', () => resolve(response.statusCode));
    });
    pipeline(body, request).catch(reject);
  });
}

/** Runs work while sampling the resident set size, and returns its peak growth. */
async function peakRssGrowth(work: () => Promise<void>): Promise<number> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage.rss()) - baseline;
}

test('a 200 MB upload and its download stream without holding the file in memory', async () => {
  const chunks = 3200; // 3200 × 64 KiB = 200 MiB
  const body = generatedBody(chunks);
  const rest = '/6/run-m/artifacts/big.bin';
  const file = path.join(root, '6/run-m/artifacts/big.bin');

  const uploadGrowth = await peakRssGrowth(async () => {
    assert.equal(await streamUpload(server.url(rest), body.stream), 200);
  });
  let downloadDigest = '';
  const downloadGrowth = await peakRssGrowth(async () => {
    const response = await fetch(server.url(rest));
    const hash = createHash('sha256');
    for await (const chunk of Readable.fromWeb(response.body as never)) hash.update(chunk);
    downloadDigest = hash.digest('hex');
  });

  const expected = body.digest();
  assert.equal(fs.statSync(file).size, chunks * 64 * 1024);
  assert.equal(downloadDigest, expected);
  assert.ok(uploadGrowth < 64 * 1024 * 1024, `upload grew RSS by ${uploadGrowth} bytes`);
  assert.ok(downloadGrowth < 64 * 1024 * 1024, `download grew RSS by ${downloadGrowth} bytes`);
  fs.rmSync(file);
});

/**
 * Starts an upload that sends one chunk and then stalls, waits until the server has opened its
 * temporary file (watching the folder, not sleeping), aborts the request and waits for the
 * handler to finish with it.
 */
async function abandonUpload(dir: string, rest: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const watcher = fs.watch(dir);
  const tempCreated = new Promise<void>((resolve) => {
    watcher.on('change', (_, name) => String(name).startsWith('.mf-upload-') && resolve());
  });
  const controller = new AbortController();
  async function* stalling() {
    yield Buffer.alloc(256 * 1024, 7);
    await new Promise(() => undefined);
  }

  const finished = server.finished(rest);
  const init = { method: 'PUT', body: Readable.toWeb(Readable.from(stalling())), duplex: 'half' };
  const request = fetch(server.url(rest), { ...init, signal: controller.signal } as RequestInit);
  await tempCreated;
  watcher.close();
  controller.abort();
  await assert.rejects(request);
  await finished;
}

test('an aborted upload leaves neither a temporary file nor a final file', async () => {
  const dir = path.join(root, '7/run-n/artifacts');

  await abandonUpload(dir, '/7/run-n/artifacts/partial.bin');

  assert.deepEqual(fs.readdirSync(dir), []);
});

test('an aborted upload over an existing file keeps the old file whole', async () => {
  const dir = path.join(root, '7/run-o/artifacts');
  await server.put('/7/run-o/artifacts/model.bin', 'the old model');

  await abandonUpload(dir, '/7/run-o/artifacts/model.bin');

  assert.deepEqual(fs.readdirSync(dir), ['model.bin']);
  assert.equal(fs.readFileSync(path.join(dir, 'model.bin'), 'utf8'), 'the old model');
});
