import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const dist = path.join(__dirname, '../../dist');

test('the extension entry stays small: sql.js, zod and the server load later from core.js', () => {
  const entry = readFileSync(path.join(dist, 'extension.js'), 'utf8');

  // The views', panels', drift, deploy and remote commands and adapters live here (about 195 KB
  // unminified); sql.js alone is 700 KB, zod a few hundred. The guard is against a heavy
  // dependency slipping in, not against the features' own adapters.
  const size = statSync(path.join(dist, 'extension.js')).size;
  assert.ok(size < 256 * 1024, `dist/extension.js is ${size} bytes, past 256 KiB`);
  assert.doesNotMatch(entry, /sql-wasm|node_modules\/zod/);
  assert.match(entry, /require\("\.\/core\.js"\)/);
  assert.match(readFileSync(path.join(dist, 'core.js'), 'utf8'), /sql-wasm/);
});

test('the CLI bundle starts with a shebang and the wasm sits beside the bundles', () => {
  assert.match(readFileSync(path.join(dist, 'cli.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  assert.ok(statSync(path.join(dist, 'sql-wasm.wasm')).size > 100_000);
});
