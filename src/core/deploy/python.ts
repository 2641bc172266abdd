import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DeployError } from './errors';

/** The environment variable that names the Python interpreter for deploy steps and the CLI. */
export const PYTHON_ENV = 'MODEL_FACTORY_PYTHON';

export const SERVE_SCRIPT = 'model_factory_serve.py';

/** The interpreter: the one asked for, else MODEL_FACTORY_PYTHON, else python3 from PATH. */
export function pythonCommand(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return option || env[PYTHON_ENV] || 'python3';
}

/**
 * The bundled Python folder (media/python). It sits beside dist/ in the built extension and the
 * CLI, and three levels up from this file when running from source, so the search walks up.
 */
export function bundledPythonDir(from = __dirname): string {
  let dir = from;
  for (let level = 0; level < 6; level++) {
    const candidate = path.join(dir, 'media', 'python');
    if (existsSync(path.join(candidate, SERVE_SCRIPT))) return candidate;
    dir = path.dirname(dir);
  }
  throw new DeployError(`cannot find the bundled ${SERVE_SCRIPT} above ${from}`);
}

/**
 * The environment of a bundled Python process: the caller's, without bytecode files, since the
 * bundled folder may be read-only (an installed extension) and must stay clean (the repository).
 */
export function pythonEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' };
}

export interface PythonResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled script to its end (argv, never a shell); rejects only when it cannot start. */
export function runPythonScript(
  python: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; moduleDir?: string } = {},
): Promise<PythonResult> {
  const script = path.join(options.moduleDir ?? bundledPythonDir(), SERVE_SCRIPT);
  const child = spawn(python, [script, ...args], {
    cwd: options.cwd,
    env: pythonEnv(options.env),
    shell: false,
    windowsHide: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(startFailure(python, error)));
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Why a Python process did not start, as the user can fix it. */
export function startFailure(python: string, error: NodeJS.ErrnoException): DeployError {
  if (error.code === 'ENOENT') {
    return new DeployError(
      `cannot start ${python}: no such program; name a Python interpreter with --python or ${PYTHON_ENV}`,
    );
  }
  return new DeployError(`cannot start ${python}: ${error.message}`);
}

/**
 * The script's own one-line message (it prefixes "model_factory_serve: "), else the last lines
 * of its stderr, for a failure the script did not explain (a traceback).
 */
export function scriptProblem(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '');
  const own = lines.filter((line) => line.startsWith('model_factory_serve: ')).at(-1);
  if (own) return own.slice('model_factory_serve: '.length);
  return lines.slice(-3).join(' | ') || 'it printed nothing';
}
