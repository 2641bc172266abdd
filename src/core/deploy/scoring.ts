import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DeployError } from './errors';
import {
  bundledPythonDir,
  pythonCommand,
  pythonEnv,
  runPythonScript,
  scriptProblem,
  SERVE_SCRIPT,
  startFailure,
} from './python';

/**
 * The scoring server and batch scoring, both run by the bundled model_factory_serve.py in a
 * child process: the model is Python, and only Python can load it.
 */

export interface PythonOptions {
  /** The interpreter; else MODEL_FACTORY_PYTHON from `env`, else python3. */
  python?: string;
  /** The environment of the process; process.env unless given. */
  env?: NodeJS.ProcessEnv;
  /** The folder holding model_factory_serve.py; the bundled media/python unless given. */
  moduleDir?: string;
}

export interface ScoringServerOptions extends PythonOptions {
  /** The model's artifact folder or file (ResolvedModel.path). */
  modelPath: string;
  /** What the ready line calls the model, such as its models:/ URI. */
  label?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** How long loading may take before giving up; mlflow models can be slow to load. */
  readyTimeoutMs?: number;
  /** The server's request log and warnings, line by line, once it is ready. */
  onLog?: (line: string) => void;
  /**
   * Aborting it while the model loads kills the process (it holds no socket or data yet) and
   * the start rejects once the process has ended; after the start it has no effect.
   */
  signal?: AbortSignal;
}

export interface ScoringServer {
  url: string;
  port: number;
  /** The server's ready line: which loader loaded what. */
  readyLine: string;
  /** Settles when the process ends, by stop() or on its own. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL when the process is still there after graceMs (default 5 s). */
  stop(graceMs?: number): Promise<void>;
}

const READY = /^Serving .* at (http:\/\/127\.0\.0\.1:(\d+))\s*$/;

/** Starts the server and resolves once it listens; rejects with its own reason when it cannot. */
export async function startScoringServer(options: ScoringServerOptions): Promise<ScoringServer> {
  const python = pythonCommand(options.python, options.env);
  const args = ['serve', options.modelPath, '--port', String(options.port ?? 0)];
  if (options.label) args.push('--name', options.label);
  const script = path.join(options.moduleDir ?? bundledPythonDir(), SERVE_SCRIPT);
  const child = spawn(python, [script, ...args], {
    env: pythonEnv(options.env ?? process.env),
    shell: false,
    windowsHide: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never rejects: a process that did not start has ended too, and waitForReady says why.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', () => resolve({ code: null, signal: null }));
    child.once('close', (code, signal) => resolve({ code, signal }));
  });

  const ready = await waitForReady(child, python, exited, options);
  return {
    url: ready.url,
    port: ready.port,
    readyLine: ready.line,
    exited,
    stop: (graceMs) => stopProcess(child, exited, graceMs),
  };
}

/**
 * Reads the process's lines for its whole life: until the ready line, stderr is kept to explain
 * a failure; after it, every line goes to onLog, so the pipes never fill and block the server.
 */
async function waitForReady(
  child: ChildProcess,
  python: string,
  exited: Promise<{ code: number | null }>,
  options: ScoringServerOptions,
): Promise<{ url: string; port: number; line: string }> {
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  const early: string[] = [];
  let ready = false;
  let aborted = false;
  const abort = () => {
    aborted = true;
    child.kill('SIGKILL');
  };
  const log = (line: string) => (ready ? options.onLog?.(line) : early.push(line));
  createInterface({ input: child.stderr! }).on('line', log);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise((resolve, reject) => {
      child.once('error', (error) => reject(startFailure(python, error)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const match = ready ? null : READY.exec(line);
        if (!match) return log(line);
        ready = true;
        resolve({ url: match[1], port: Number(match[2]), line });
      });
      void exited.then(({ code }) => {
        if (aborted) return reject(new DeployError('the scoring server was stopped while loading'));
        const problem = scriptProblem(early.join('\n'));
        reject(new DeployError(`the scoring server stopped (exit ${code}): ${problem}`));
      });
      if (options.signal?.aborted) abort();
      options.signal?.addEventListener('abort', abort, { once: true });
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new DeployError(`the scoring server was not ready after ${timeoutMs / 1000} s`));
      }, timeoutMs);
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}

/** SIGTERM (the server closes its socket and exits 0), then SIGKILL if it lingers. */
async function stopProcess(
  child: ChildProcess,
  exited: Promise<unknown>,
  graceMs = 5000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface ScoreFileOptions extends PythonOptions {
  modelPath: string;
  /** A CSV file with a header row (.tsv files are read by tab). */
  data: string;
  /** The copy of `data` with the predictions; written whole or not at all. */
  out: string;
  /** The predictions' column; replaced when `data` has one. Default "prediction". */
  column?: string;
}

export interface ScoreResult {
  rows: number;
  /** Which loader loaded the model: mlflow, pickle, joblib or json. */
  loader: string;
  /** What was loaded, such as "logistic-regression from model.json". */
  model: string;
  out: string;
  column: string;
}

/** Scores a data file with the model; a DeployError carries the script's reason on failure. */
export async function scoreFile(options: ScoreFileOptions): Promise<ScoreResult> {
  const python = pythonCommand(options.python, options.env);
  const column = options.column ?? 'prediction';
  const args = ['score', options.modelPath, options.data, '--out', options.out];
  const result = await runPythonScript(python, [...args, '--column', column], {
    env: options.env,
    moduleDir: options.moduleDir,
  });

  if (result.code !== 0) {
    throw new DeployError(`cannot score ${options.data}: ${scriptProblem(result.stderr)}`);
  }
  const last = result.stdout.trim().split(/\r?\n/).at(-1) ?? '';
  try {
    return JSON.parse(last) as ScoreResult;
  } catch {
    throw new DeployError(`scoring printed no summary: ${last || scriptProblem(result.stderr)}`);
  }
}
