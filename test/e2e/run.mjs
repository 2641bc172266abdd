// `npm run test:e2e`: packages the extension, installs the VSIX into a code-server prepared in a
// cache outside the repo, serves a copy of a workspace folder on 127.0.0.1 and runs
// test/e2e/*.test.mjs against it with node's test runner. code-server and the temporary folders
// are removed whatever happens, also on Ctrl-C. Exits with the test runner's exit code.
//
//   node test/e2e/run.mjs [--workspace DIR] [--vsix FILE] [node --test options...]
//
// MF_E2E_ONLY=word,word runs only the test files whose names hold one of the words.
// --workspace (or MF_E2E_WORKSPACE) is the folder copied and opened; without it, a folder holding
// only a README. --vsix (or MF_E2E_VSIX) installs that file instead of running `npm run package`.
// Other options, such as --test-name-pattern, go to the test runner.
import { createWriteStream } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { codeServerEntry, prepareCodeServer } from './prepare-code-server.mjs';
import { repoRoot, resultsDir } from './paths.mjs';
import { exitCode, onInterrupt, run, start, stopAll } from './processes.mjs';

const SERVER_START_TIMEOUT = 60_000;
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
};

async function main() {
  const options = parseOptions();
  const started = Date.now();
  const dirs = await makeTempDirs();
  const cleanup = once(() => stopAndClean(dirs));
  onInterrupt(cleanup);

  try {
    await step('prepare code-server', () => prepareCodeServer());
    const vsix = options.vsix ?? (await step('npm run package', packageExtension));
    await step('install VSIX', () => installExtension(vsix, dirs));
    await step('copy workspace', () => copyWorkspace(options.workspace, dirs.workspace));
    const url = await step('start code-server', () => startCodeServer(dirs));
    return await runTests(options.testArgs, { url, dirs });
  } finally {
    await cleanup();
    console.log(`e2e: ${seconds(Date.now() - started)} in all`);
  }
}

// --workspace and --vsix are ours; everything else is passed to the test runner as it is.
function parseOptions(argv = process.argv.slice(2)) {
  const ours = { workspace: process.env.MF_E2E_WORKSPACE, vsix: process.env.MF_E2E_VSIX };
  const testArgs = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const name = flag.replace(/^--/, '');
    if (flag.startsWith('--') && name in ours) ours[name] = inline ?? argv[++i];
    else testArgs.push(argv[i]);
  }
  return { workspace: absolute(ours.workspace), vsix: absolute(ours.vsix), testArgs };
}

function absolute(path) {
  return path === undefined ? undefined : resolve(path);
}

async function makeTempDirs() {
  const root = await mkdtemp(join(tmpdir(), 'mf-e2e-'));
  const dirs = {
    root,
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
  };
  await mkdir(join(dirs.userData, 'User'), { recursive: true });
  await writeFile(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(SETTINGS, null, 2));
  return dirs;
}

async function packageExtension() {
  await run('npm', ['run', 'package'], { cwd: repoRoot });
  const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  return join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
}

async function installExtension(vsix, dirs) {
  const args = [...serverDirArgs(dirs), '--install-extension', vsix];
  await run(process.execPath, [codeServerEntry(), ...args], { env: isolatedEnv(dirs) });
}

// code-server writes a config.yaml under ~/.config, a heartbeat under ~/.local/share and a
// device id under ~/.cache; Chromium its crash reports and dconf. Pointing XDG at the temporary
// folder, for the server and for the tests' browsers, keeps the user's home untouched.
function isolatedEnv(dirs) {
  const xdg = (name) => join(dirs.root, 'home', name);
  return {
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_CACHE_HOME: xdg('cache'),
  };
}

function serverDirArgs(dirs) {
  return ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

// Without a workspace given, the smallest folder that is still a folder a user would open.
async function copyWorkspace(source, target) {
  if (source) return cp(source, target, { recursive: true });
  await mkdir(target, { recursive: true });
  await writeFile(join(target, 'README.md'), '# An empty project\n');
}

async function startCodeServer(dirs) {
  const port = await freePort();
  const args = [
    ...['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, ...serverDirArgs(dirs)],
    ...['--disable-telemetry', '--disable-update-check', '--disable-workspace-trust'],
    dirs.workspace,
  ];
  await mkdir(resultsDir, { recursive: true });
  const log = createWriteStream(join(resultsDir, 'code-server.log'));
  const server = start(process.execPath, [codeServerEntry(), ...args], { env: isolatedEnv(dirs) });
  server.stdout.pipe(log);
  server.stderr.pipe(log);

  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(url, server);
  return url;
}

async function waitForHttp(url, server) {
  const deadline = Date.now() + SERVER_START_TIMEOUT;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error('code-server exited while starting: see test-results/code-server.log');
    }
    try {
      await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await delay(200);
    }
  }
  throw new Error(`code-server did not answer on ${url} within ${SERVER_START_TIMEOUT} ms`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

// The runner leads a process group of its own, out of the terminal's reach: it must not read it.
const testStdio = ['ignore', 'inherit', 'inherit'];

// One file at a time: every test file opens its own window on the same server, on its own copy of
// the workspace (harness.mjs).
async function runTests(testArgs, { url, dirs }) {
  // MF_E2E_ONLY=panels,drift runs only the files whose names hold one of those words: a name
  // pattern is not enough, since node 20 still runs the before hooks of filtered-out files.
  const only = (process.env.MF_E2E_ONLY ?? '').split(',').filter(Boolean);
  const files = (await readdir(join(repoRoot, 'test', 'e2e')))
    .filter((name) => name.endsWith('.test.mjs'))
    .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
    .map((name) => join('test', 'e2e', name))
    .sort();
  const args = ['--test', '--test-concurrency=1', '--test-reporter=spec', ...testArgs, ...files];
  const env = {
    ...isolatedEnv(dirs),
    ...{ MF_E2E_URL: url, MF_E2E_FOLDER: dirs.workspace, MF_E2E_USER_DATA: dirs.userData },
  };

  const started = Date.now();
  const runner = start(process.execPath, args, { cwd: repoRoot, env, stdio: testStdio });
  const code = await exitCode(runner);
  console.log(`e2e: tests exited with ${code} after ${seconds(Date.now() - started)}`);
  return code;
}

async function stopAndClean(dirs) {
  await stopAll();
  await keepLogs(dirs.userData);
  await rm(dirs.root, { recursive: true, force: true });
}

// The logs outlive the run, beside the screenshots, for whoever reads a failure.
async function keepLogs(userData) {
  const kept = join(resultsDir, 'logs');
  await rm(kept, { recursive: true, force: true });
  await cp(join(userData, 'logs'), kept, { recursive: true }).catch(() => {});
}

async function step(name, action) {
  const started = Date.now();
  const result = await action();
  console.log(`e2e: ${name} (${seconds(Date.now() - started)})`);
  return result;
}

function once(action) {
  let promise;
  return () => (promise ??= action());
}

function delay(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(`e2e: ${error.message}`);
    process.exitCode = 1;
  },
);
