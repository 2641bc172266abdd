import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import type { ScoringServer } from '../../../src/core/deploy';
import type { RunStore } from '../../../src/core/store/store';
import { runArtifactLocation } from '../../../src/core/tracking/artifacts/listing';

export const root = path.join(__dirname, '../../..');

/**
 * A small logistic model in Model Factory's JSON format: x is standardised with mean 1 and
 * standard deviation 2, color is one-hot over blue and red. score = -0.5 + 1.5 * (x - 1) / 2
 * + 2 * [color = red], and the class is 1 when sigmoid(score) >= 0.5, that is score >= 0.
 */
export const LOGISTIC_MODEL = {
  format: 'model-factory/logistic-regression',
  target: 'label',
  threshold: 0.5,
  features: ['x', 'color=blue', 'color=red'],
  bias: -0.5,
  weights: [1.5, 0, 2],
  numeric: { x: { mean: 1, std: 2 } },
  categorical: { color: ['blue', 'red'] },
};

/** The same layout as a linear model: the prediction is the score itself. */
export const LINEAR_MODEL = { ...LOGISTIC_MODEL, format: 'model-factory/linear-regression' };

export function logisticClass(x: number, color: string): number {
  return linearScore(x, color) >= 0 ? 1 : 0;
}

export function linearScore(x: number, color: string): number {
  return -0.5 + (1.5 * (x - 1)) / 2 + (color === 'red' ? 2 : 0);
}

export function writeJsonModel(dir: string, model: object = LOGISTIC_MODEL): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model, null, 2));
  return dir;
}

/**
 * A pickle of a tiny object with predict, written by python3 itself: its class lives in
 * tiny_model.py beside the pickle, as a user's own model code would. It predicts 2a + b for
 * rows [a, b], given as lists (no pandas) or as a DataFrame.
 */
export function writePickleModel(dir: string, python = 'python3'): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'tiny_model.py'),
    [
      'class Doubler:',
      '    def predict(self, rows):',
      '        rows = rows.values.tolist() if hasattr(rows, "values") else rows',
      '        return [2 * row[0] + row[1] for row in rows]',
      '',
    ].join('\n'),
  );
  execFileSync(
    python,
    [
      '-c',
      'import pickle, sys; sys.path.insert(0, sys.argv[1]); import tiny_model; ' +
        'pickle.dump(tiny_model.Doubler(), open(sys.argv[1] + "/model.pkl", "wb"))',
      dir,
    ],
    { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
  );
  return dir;
}

/** Whether `python` can import every module; the reason when it cannot, for a skip. */
export function pythonHas(python: string, modules: string[]): string | undefined {
  const result = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (result.error) return `${python} is not installed`;
  if (result.status === 0) return undefined;
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  return `${python} cannot import ${modules.join(', ')} (${last})`;
}

/** Writes files into a run's artifact folder, as a script logging artifacts would. */
export function writeArtifacts(store: RunStore, runId: string, files: Record<string, string>) {
  const location = runArtifactLocation(store.artifactsDir, store.getRun(runId).info.artifactUri);
  const dir = path.join(location.root, ...location.segments);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** A run in experiment 0 with these metrics (their latest values). */
export function runWithMetrics(store: RunStore, metrics: Record<string, number>, tags = {}) {
  const run = store.createRun({
    experimentId: '0',
    startTime: Date.now(),
    tags: Object.entries(tags).map(([key, value]) => ({ key, value: String(value) })),
  });
  const timestamp = Date.now();
  store.logBatch(run.info.runId, {
    metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step: 0 })),
  });
  store.updateRun(run.info.runId, { status: 'FINISHED', endTime: Date.now() });
  return run.info.runId;
}

/** The CLI in this process, as main() runs it, with its output collected. */
export async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  const code = await runCli(args, {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    cwd,
    env: { ...env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return { code, stdout, stderr };
}

/** Rows for the JSON models above, as records. */
export const SAMPLE_ROWS = [
  { x: 3, color: 'blue' },
  { x: -1, color: 'red' },
  { x: 0, color: 'blue' },
];

/** POSTs a body to /invocations; the JSON answer with its status. */
export async function postRows(server: ScoringServer, body: string, contentType?: string) {
  const headers: Record<string, string> = {};
  if (contentType) headers['Content-Type'] = contentType;
  // Bytes, so that fetch adds no Content-Type of its own.
  const bytes = new TextEncoder().encode(body);
  const response = await fetch(`${server.url}/invocations`, {
    method: 'POST',
    body: bytes,
    headers,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
