// Child processes for the e2e scripts. Each one leads a process group of its own, so that stopping
// it also stops what it started (npm's node-gyp and make, code-server's extension host, the test
// runner's browsers): a signal to the parent alone would leave those running as orphans.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const running = new Set();

/** Starts a command in a new process group and tracks it until it exits. */
export function start(command, args, { cwd, env, stdio = 'pipe' } = {}) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio,
    detached: true,
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  return child;
}

/** Runs a command to its end; resolves with its exit code (128 + n when killed by signal n). */
export function exitCode(child) {
  return new Promise((done, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => done(code ?? 128 + constants.signals[signal]));
  });
}

/** Runs a command, keeping its output to show only if it fails; rejects on a non-zero exit. */
export async function run(command, args, options = {}) {
  const child = start(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));

  const code = await exitCode(child);
  if (code !== 0) {
    if (!options.quiet) process.stderr.write(Buffer.concat(output));
    const where = options.cwd ? ` in ${options.cwd}` : '';
    throw new Error(`${command} ${args.join(' ')}${where} exited with ${code}`);
  }
}

/** SIGTERM to every group still running; whatever is left after `grace` ms gets SIGKILL. */
export async function stopAll(grace = 5_000) {
  const children = [...running];
  const exited = children.map((child) => new Promise((done) => child.once('exit', done)));
  children.forEach((child) => signalGroup(child.pid, 'SIGTERM'));

  const timer = new Promise((done) => setTimeout(done, grace).unref());
  await Promise.race([Promise.all(exited), timer]);
  children.forEach((child) => signalGroup(child.pid, 'SIGKILL'));
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/** On SIGINT or SIGTERM: `cleanup`, then exit as if killed by that signal. */
export function onInterrupt(cleanup) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      console.error(`${signal}: stopping child processes`);
      await cleanup();
      process.exit(128 + constants.signals[signal]);
    });
  }
}
