import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { RunStore } from '../../../src/core/store/store';
import { startServer, TOKEN } from '../../helpers/server';
import { tempDir } from '../../helpers/tempStore';
import { closedPort, collector, startProxy, startServeProcess } from './helpers';
import { seedStore } from './seed';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = process.cwd()) {
  const stdout = collector();
  const stderr = collector();
  const code = await runCli(args, { stdout, stderr, cwd, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** A folder with a seeded store in `.modelfactory`, closed so the CLI can open it. */
async function seededFolder(t: { after(fn: () => unknown): void }) {
  const temp = tempDir();
  t.after(temp.remove);
  const storeDir = path.join(temp.dir, '.modelfactory');
  const store = await RunStore.open(storeDir, { idleMs: 0 });
  const seeded = seedStore(store);
  await store.close();
  return { dir: temp.dir, storeDir, seeded };
}

test('push to a real model-factory serve and pull back, from the command line', async (t) => {
  const { dir, seeded } = await seededFolder(t);
  const remoteDir = tempDir();
  const serve = await startServeProcess(remoteDir.dir, 'cli-token');
  t.after(async () => {
    await serve.stop();
    remoteDir.remove();
  });

  const pushed = await cli(
    ['push', '--to', serve.url, '--models'],
    {
      MLFLOW_TRACKING_TOKEN: 'cli-token',
    },
    dir,
  );
  const again = await cli(['push', '--to', serve.url, '--token', 'cli-token'], {}, dir);
  const pulled = await cli(
    ['pull', '--from', serve.url, '--store', 'copy', '--token', 'cli-token', '--models'],
    {},
    dir,
  );

  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(
    pushed.stdout,
    new RegExp(
      `^pushed 2 new experiments, 3 runs \\(3 created, 0 updated, 0 unchanged, 0 skipped\\), ` +
        `${(seeded.points + 13).toLocaleString('en-US')} metric points, .*, 1 new model, ` +
        `2 new versions, 2 aliases from .* to ${serve.url}\\n$`,
    ),
  );
  assert.match(pushed.stderr, /^push: 3 runs to push\npush: run 1\/3 \w{32} created\n/);
  assert.match(
    again.stdout,
    /3 runs \(0 created, 0 updated, 3 unchanged, 0 skipped\), 0 metric points/,
  );
  assert.equal(pulled.code, 0, pulled.stderr);
  assert.match(pulled.stdout, /^pulled 2 new experiments, 3 runs \(3 created/);
  const copy = await RunStore.open(path.join(dir, 'copy'), { readOnly: true });
  t.after(() => copy.close());
  assert.equal(copy.getRegisteredModel('house-price').aliases.length, 2);
});

test('a remote that refuses a call halfway: exit 2, what was pushed, and how to carry on', async (t) => {
  const { dir } = await seededFolder(t);
  const remote = await startServer();
  let batches = 0;
  const proxy = await startProxy(remote.base, (request) =>
    request.url.endsWith('/runs/log-batch') &&
    request.body.includes('"metrics":[{') &&
    ++batches > 2
      ? 'reject'
      : 'pass',
  );
  t.after(async () => {
    await proxy.close();
    await remote.stop();
  });

  const result = await cli(['push', '--to', proxy.url, '--token', TOKEN], {}, dir);

  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n').filter((line) => line.startsWith('model-factory:'));
  assert.match(
    lines[0],
    /^model-factory: push stopped at run \w{32}: .* quota exceeded \(RESOURCE_EXHAUSTED\)$/,
  );
  assert.match(lines[1], /^model-factory: pushed before it stopped: .*2,000 metric points/);
  assert.match(lines[1], /push again to carry on \(nothing is copied twice\)$/);
});

test('usage and input errors exit 2 with one line, before anything is sent', async (t) => {
  const { dir } = await seededFolder(t);
  const port = await closedPort();
  const missingCa = path.join(dir, 'missing.pem');
  const cases: Array<[string[], RegExp]> = [
    [['push'], /^model-factory: push needs --to URL, the MLflow server's address\n$/],
    [['pull', '--to', 'http://x'], /^model-factory: Unknown option '--to'/],
    [['push', '--to', 'ftp://x'], /must start with http:\/\/ or https:\/\//],
    [
      ['push', '--to', 'http://127.0.0.1:1', '--ca-file', missingCa],
      /the CA file .* does not exist/,
    ],
    [
      ['push', '--to', `http://127.0.0.1:${port}`],
      /nothing is listening at http:\/\/127\.0\.0\.1:\d+/,
    ],
    [
      ['push', '--to', `http://127.0.0.1:${port}`, '--run', 'f'.repeat(32)],
      /Run with id=f{32} not found/,
    ],
  ];

  for (const [args, message] of cases) {
    const result = await cli(args, {}, dir);

    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message);
    assert.equal(result.stderr.split('\n').length, 2, result.stderr);
    assert.equal(result.stdout, '');
  }
});

test('a CA file that is not PEM is refused with what is wrong with it', async (t) => {
  const { dir } = await seededFolder(t);
  fs.writeFileSync(path.join(dir, 'ca.pem'), 'not a certificate');

  const result = await cli(
    ['pull', '--from', 'https://127.0.0.1:1', '--ca-file', 'ca.pem'],
    {},
    dir,
  );

  assert.equal(result.code, 2);
  assert.match(result.stderr, /the CA file .*ca\.pem holds no PEM certificate/);
});

test('push and pull are listed in the help, and --help shows their options', async () => {
  const help = await cli(['--help']);
  const push = await cli(['push', '--help']);

  assert.match(help.stdout, /push\s+copy runs, artifacts and models to an MLflow tracking server/);
  assert.match(
    help.stdout,
    /pull\s+copy runs, artifacts and models from an MLflow tracking server/,
  );
  assert.match(push.stdout, /--ca-file FILE/);
  assert.match(push.stdout, /MLFLOW_TRACKING_USERNAME/);
});
