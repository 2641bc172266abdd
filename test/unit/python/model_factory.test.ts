import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../../..');
const fixtures = path.join(root, 'test/fixtures/python');
const testFile = path.join(fixtures, 'test_model_factory.py');

/** Runs the Python unittest suite of the bundled module, as `python3 -m unittest` would. */
function runPythonTests() {
  return new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      'python3',
      ['-m', 'unittest', '-v', 'test_model_factory'],
      {
        cwd: fixtures,
        env: { ...process.env, PYTHONPATH: path.join(root, 'media/python'), PYTHONUTF8: '1' },
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        resolve({ code, output: stdout + stderr });
      },
    );
  });
}

test('the Python tests of model_factory all run and pass, none skipped', async () => {
  const expected = (readFileSync(testFile, 'utf8').match(/^ {4}def test_/gm) ?? []).length;

  const { code, output } = await runPythonTests();

  assert.equal(code, 0, output);
  const ran = /^Ran (\d+) tests? in /m.exec(output);
  assert.ok(ran, `no unittest summary in:\n${output}`);
  assert.equal(Number(ran[1]), expected, `expected ${expected} tests to run:\n${output}`);
  // "OK (skipped=1)" or "OK (expected failures=1)" would hide a test that did not really pass.
  assert.match(output, /\n\nOK\n*$/, output);
  assert.ok(expected >= 40, `only ${expected} tests found in ${testFile}`);
});
