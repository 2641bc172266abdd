import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { readFileSync } from 'node:fs';

const run = promisify(execFile);
const cli = path.join(__dirname, '../../../dist/cli.js');
const { version } = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));

/** Runs the built CLI as a user would, collecting the exit code instead of throwing. */
async function modelFactory(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('--version prints the package version', async () => {
  const result = await modelFactory('--version');

  assert.equal(result.code, 0);
  assert.equal(result.stdout.trim(), version);
});

test('--help lists the usage line on stdout', async () => {
  const result = await modelFactory('--help');

  assert.equal(result.code, 0);
  assert.match(result.stdout, /^Usage: model-factory <command>/);
  assert.equal(result.stderr, '');
});

test('an unknown command exits 2 with one line on stderr', async () => {
  const result = await modelFactory('frobnicate');

  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /unknown command 'frobnicate'/);
});
