// Runs every *.test.ts under the given folders (default test/unit) with node's test runner and
// tsx as the TypeScript loader. Node 20's runner takes no glob patterns, so the files are listed
// here; the runner's closing summary is what CI reads.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function findTests(dir) {
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const folders = args.filter((a) => !a.startsWith('--'));
const files = (folders.length > 0 ? folders : ['test/unit']).flatMap(findTests).sort();
if (files.length === 0) {
  console.error('run-unit: no test files found');
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
