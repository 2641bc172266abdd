import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli } from './helpers';

/**
 * Enough of a GitHub Actions runner to execute the generated workflow's steps in order on this
 * machine: `if:` expressions and `${{ }}` values are evaluated, `run:` scripts run in bash as
 * Actions runs them (bash -eo pipefail, GITHUB_OUTPUT, the job's working directory), and the
 * `model-factory` they call is this checkout's CLI through runCli, reached from bash by a small
 * shim. Steps that cannot run here are handed to the caller, which says why.
 */

export type Outcome = 'success' | 'failure' | 'skipped';

export interface StepRecord {
  name: string;
  id?: string;
  outcome: Outcome;
  /** What happened: the script's output, or why the step was not run here. */
  note: string;
  outputs: Record<string, string>;
}

export interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  'continue-on-error'?: boolean;
}

export interface RunOptions {
  workflow: { env?: Record<string, string>; jobs: Record<string, Job> };
  repoDir: string;
  event: string;
  inputs?: Record<string, unknown>;
  /** Called for a step that is not a plain run step here; returns what it did, or throws. */
  elsewhere(
    step: Step,
    values: Record<string, string>,
  ): { outcome: Outcome; note: string } | undefined;
}

interface Job {
  steps: Step[];
  defaults?: { run?: { shell?: string; 'working-directory'?: string } };
}

/** Runs the only job's steps in order and returns what each one did. */
export async function runWorkflow(options: RunOptions): Promise<StepRecord[]> {
  const [job] = Object.values(options.workflow.jobs);
  const bridge = await cliBridge();
  const records: StepRecord[] = [];
  const steps: Record<string, { outcome: Outcome; outputs: Record<string, string> }> = {};
  const context = (): Context => ({
    inputs: options.inputs ?? {},
    steps,
    github: { event_name: options.event, run_id: '1001', run_attempt: '1' },
    env: options.workflow.env ?? {},
    failed: records.some((record) => record.outcome === 'failure'),
  });
  try {
    for (const step of job.steps) {
      const record = await runStep(step, job, options, context(), bridge);
      records.push(record);
      if (step.id) steps[step.id] = { outcome: record.outcome, outputs: record.outputs };
    }
  } finally {
    bridge.close();
  }
  return records;
}

async function runStep(
  step: Step,
  job: Job,
  options: RunOptions,
  context: Context,
  bridge: Bridge,
): Promise<StepRecord> {
  const base = { name: step.name, id: step.id, outputs: {} };
  if (!shouldRun(step.if, context)) return { ...base, outcome: 'skipped', note: `if: ${step.if}` };

  const values = Object.fromEntries(
    Object.entries({ ...(options.workflow.env ?? {}), ...(step.env ?? {}) }).map(([key, value]) => [
      key,
      substitute(String(value), context),
    ]),
  );
  const withValues = Object.fromEntries(
    Object.entries(step.with ?? {}).map(([key, value]) => [
      key,
      substitute(String(value), context),
    ]),
  );
  const handled = options.elsewhere(step, withValues);
  if (handled) return { ...base, ...handled };
  if (step.run === undefined) throw new Error(`step '${step.name}' has neither run nor a handler`);

  const cwd = path.resolve(options.repoDir, job.defaults?.run?.['working-directory'] ?? '.');
  const result = await bash(step.run, cwd, { ...values, ...bridge.env });
  return {
    ...base,
    outcome: result.code === 0 ? 'success' : 'failure',
    note: result.output,
    outputs: result.outputs,
  };
}

/** bash as Actions runs `shell: bash`, with a fresh GITHUB_OUTPUT file read back afterwards. */
async function bash(script: string, cwd: string, env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-step-'));
  const scriptFile = path.join(dir, 'step.sh');
  const outputFile = path.join(dir, 'output');
  writeFileSync(scriptFile, script);
  writeFileSync(outputFile, '');
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], {
    cwd,
    env: { ...process.env, ...env, GITHUB_OUTPUT: outputFile, CI: 'true' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) =>
    child.once('close', (exit) => resolve(exit ?? 1)),
  );
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  rmSync(dir, { recursive: true, force: true });
  return { code, output, outputs };
}

interface Bridge {
  env: Record<string, string>;
  close(): void;
}

/** A `model-factory` on PATH that runs each call through runCli in this process. */
async function cliBridge(): Promise<Bridge> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', async () => {
      const call = JSON.parse(body) as { argv: string[]; cwd: string; env: NodeJS.ProcessEnv };
      const result = await cli(call.argv, call.cwd, call.env);
      response.end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-shim-'));
  const shim = path.join(dir, 'model-factory');
  writeFileSync(
    shim,
    `#!${process.execPath}
const http = require('node:http');
const call = JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), env: process.env });
const request = http.request({ host: '127.0.0.1', port: ${port}, method: 'POST' }, (response) => {
  let body = '';
  response.on('data', (chunk) => (body += chunk));
  response.on('end', () => {
    const result = JSON.parse(body);
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.code;
  });
});
request.end(call);
`,
  );
  chmodSync(shim, 0o755);
  return {
    env: { PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}` },
    close: () => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// --- expressions ---------------------------------------------------------------------------

interface Context {
  inputs: Record<string, unknown>;
  steps: Record<string, { outcome: Outcome; outputs: Record<string, string> }>;
  github: Record<string, string>;
  env: Record<string, string>;
  failed: boolean;
}

/** Actions adds `success() &&` to a condition that calls no status function. */
function shouldRun(condition: string | undefined, context: Context): boolean {
  if (condition === undefined) return !context.failed;
  const expression = condition.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1');
  const statusChecked = /\b(always|success|failure|cancelled)\(\)/.test(expression);
  const value = truthy(evaluate(expression, context));
  return statusChecked ? value : !context.failed && value;
}

function substitute(text: string, context: Context): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => {
    const value = evaluate(expression, context);
    return value === null || value === undefined ? '' : String(value);
  });
}

type Value = string | number | boolean | null | undefined | object;

const truthy = (value: Value) =>
  !(value === false || value === 0 || value === '' || value === null || value === undefined);

/** The subset of Actions expressions the workflow uses: paths, literals, ! && || == != (). */
function evaluate(expression: string, context: Context): Value {
  const tokens = expression.match(/'(?:[^']|'')*'|&&|\|\||==|!=|[!()]|[\w.-]+(?:\(\))?/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++];

  const primary = (): Value => {
    const token = next();
    if (token === '(') {
      const value = or();
      if (next() !== ')') throw new Error(`unbalanced parentheses in ${expression}`);
      return value;
    }
    if (token === '!') return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (/^\d/.test(token)) return Number(token);
    if (token === 'always()') return true;
    if (token === 'success()') return !context.failed;
    if (token === 'failure()') return context.failed;
    if (token === 'cancelled()') return false;
    return token
      .split('.')
      .reduce<Value>(
        (value, key) => (value as Record<string, Value> | undefined)?.[key],
        context as unknown as Value,
      );
  };
  const comparison = (): Value => {
    const left = primary();
    const operator = peek();
    if (operator !== '==' && operator !== '!=') return left;
    next();
    const equal = looselyEqual(left, primary());
    return operator === '==' ? equal : !equal;
  };
  const and = (): Value => {
    let value = comparison();
    while (peek() === '&&') {
      next();
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const or = (): Value => {
    let value = and();
    while (peek() === '||') {
      next();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };

  const value = or();
  if (position !== tokens.length) throw new Error(`cannot evaluate ${expression}`);
  return value;
}

/** Strings compare case-insensitively in Actions; other kinds as numbers. */
function looselyEqual(left: Value, right: Value): boolean {
  if (typeof left === 'string' && typeof right === 'string')
    return left.toLowerCase() === right.toLowerCase();
  const number = (value: Value) => (value === null || value === undefined ? 0 : Number(value));
  return number(left) === number(right);
}
