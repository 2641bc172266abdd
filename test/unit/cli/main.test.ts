import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { modelFactory as cli } from '../../helpers/cli';

const { version } = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
const modelFactory = (...args: string[]) => cli(args);

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
