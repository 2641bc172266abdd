import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkDrift } from '../../../src/core/drift/check';
import { DriftCheckError, DriftWorkerClient } from '../../../src/core/drift/client';
import type { DriftProgress } from '../../../src/core/drift/types';

/** The built worker, as the extension loads it (npm test builds before it runs the tests). */
const WORKER = path.join(__dirname, '../../../dist/driftWorker.js');

function csvFiles(t: { after(fn: () => void): void }, rows: number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-drift-worker-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, shift: number) => {
    const lines = ['a,b,c,label'];
    for (let i = 0; i < rows; i++) {
      const u = ((i * 48271) % 2147483647) / 2147483647;
      lines.push(`${u + shift},${(u * 7) % 1},${i % 13},${i % 3 === 0 ? 'yes' : 'no'}`);
    }
    const file = path.join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  };
  return { reference: write('reference.csv', 0), current: write('current.csv', 0.05) };
}

test('the worker gives the same report as the engine in this process, with progress', async (t) => {
  const files = csvFiles(t, 3000);
  const client = new DriftWorkerClient(WORKER);
  t.after(() => client.dispose());
  const stages: DriftProgress['stage'][] = [];
  const request = { ...files, options: { seed: 3 } };

  const fromWorker = await client.check(request, { onProgress: (p) => stages.push(p.stage) });
  const inProcess = await checkDrift(request);

  assert.deepEqual(fromWorker, inProcess);
  assert.ok(stages.includes('reading'));
  assert.ok(stages.includes('testing'));
  assert.equal(stages.at(-1), 'done');
});

test('cancelling stops the check, and the worker takes the next one', async (t) => {
  const files = csvFiles(t, 200_000);
  const client = new DriftWorkerClient(WORKER);
  t.after(() => client.dispose());
  const controller = new AbortController();

  const cancelled = client.check(
    { ...files, options: {} },
    { signal: controller.signal, onProgress: () => controller.abort() },
  );

  await assert.rejects(cancelled, (error: unknown) => {
    assert.ok(error instanceof DriftCheckError);
    assert.equal(error.code, 'cancelled');
    return true;
  });
  const small = csvFiles(t, 100);
  const next = await client.check({ ...small, options: {} });
  assert.equal(next.dataset.total, 4);
});

test('an unreadable file fails as an input error with the reader message', async (t) => {
  const files = csvFiles(t, 10);
  const client = new DriftWorkerClient(WORKER);
  t.after(() => client.dispose());

  await assert.rejects(
    client.check({ reference: files.reference, current: '/no/such/file.csv', options: {} }),
    (error: unknown) => {
      assert.ok(error instanceof DriftCheckError);
      assert.equal(error.code, 'input');
      assert.match(error.message, /\/no\/such\/file\.csv/);
      return true;
    },
  );
});
