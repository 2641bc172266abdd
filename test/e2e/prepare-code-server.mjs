// Prepares a runnable code-server (a whole VS Code server and web workbench) in a cache folder
// outside the repo, from the npm registry and Debian packages only. The steps and their reasons
// are in shared/reference/vscode-e2e.md. Run directly (`node test/e2e/prepare-code-server.mjs`)
// or import `prepareCodeServer()`; either way a ready cache is left alone.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { onInterrupt, run, stopAll } from './processes.mjs';

export const CODE_SERVER_VERSION = '4.100.3';

// Bump when the steps change, so that caches made by older steps are rebuilt.
const RECIPE = 1;
const MARKER = '.model-factory-e2e-ready.json';

/** The cache folder: MF_E2E_CACHE, else one under ~/.cache named after the version. */
export function cacheDir() {
  const base = process.env.MF_E2E_CACHE ?? join(homedir(), '.cache', 'model-factory-e2e');
  return join(base, `code-server-${CODE_SERVER_VERSION}`);
}

/** The script that starts code-server, inside a prepared cache. */
export function codeServerEntry(dir = cacheDir()) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Makes the cache ready unless a marker says a previous run finished every step. */
export async function prepareCodeServer({ log = console.log } = {}) {
  checkDebianPackages();
  const dir = cacheDir();
  if (await isReady(dir)) {
    log(`code-server ${CODE_SERVER_VERSION} ready in ${dir}`);
    return dir;
  }

  const started = Date.now();
  // Every step runs again, since an interrupted one may have left half its work. A stale marker
  // (older recipe or Node) goes first, so that a failure below never leaves a ready-looking cache.
  await rm(join(dir, MARKER), { force: true });
  await mkdir(dir, { recursive: true });
  for (const [name, action] of steps(dir)) {
    await timed(log, name, action);
  }

  await writeFile(join(dir, MARKER), JSON.stringify(markerContent(), null, 2) + '\n');
  log(`code-server ${CODE_SERVER_VERSION} prepared in ${seconds(Date.now() - started)}`);
  return dir;
}

function steps(dir) {
  const vscode = join(dir, 'node_modules', 'code-server', 'lib', 'vscode');
  const npm = (args, cwd, env) => run('npm', args, { cwd, env });
  return [
    ['node-gyp on PATH', ensureNodeGyp],
    ['npm install code-server', () => installCodeServer(dir)],
    ['npm install lib/vscode', () => npm(['install', '--omit=dev', '--ignore-scripts'], vscode)],
    ['link ripgrep to /usr/bin/rg', () => linkRipgrep(vscode)],
    // Rebuilds node-pty, spdlog, the file watcher, kerberos... npx inside must not prompt.
    ['npm rebuild lib/vscode', () => npm(['rebuild'], vscode, { npm_config_yes: 'true' })],
    ['link as code-server postinstall', () => linkLikePostinstall(vscode)],
    // The prebuilt argon2 download fails here; rebuilding builds it from source.
    ['npm rebuild argon2', () => npm(['rebuild', 'argon2'], dir)],
  ];
}

// A package.json of its own keeps npm from adopting a parent folder's as the install prefix.
async function installCodeServer(dir) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) await writeFile(manifest, '{ "private": true }\n');
  const spec = `code-server@${CODE_SERVER_VERSION}`;
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', spec], { cwd: dir });
}

// VS Code's native modules call node-gyp through npx, which will not install it by itself in a
// non-interactive run, so it has to be installed globally beforehand.
async function ensureNodeGyp() {
  if (await onPath('node-gyp')) return;
  await run('npm', ['install', '--global', '--no-audit', '--no-fund', 'node-gyp']);
}

// @vscode/ripgrep's install script downloads a binary from GitHub, but skips when bin/ exists.
async function linkRipgrep(vscode) {
  const bin = join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
  await mkdir(bin, { recursive: true });
  await forceSymlink('/usr/bin/rg', join(bin, 'rg'));
}

// What code-server's own postinstall would do, which --ignore-scripts skipped.
async function linkLikePostinstall(vscode) {
  await forceSymlink('node_modules', join(vscode, 'node_modules.asar'));
  await forceSymlink('code-linux.sh', join(vscode, 'bin', 'remote-cli', 'code-server'));
  await forceSymlink('browser-linux.sh', join(vscode, 'bin', 'helpers', 'browser.sh'));
}

async function forceSymlink(target, path) {
  await rm(path, { force: true });
  await symlink(target, path);
}

// The Debian packages are installed by .ci/run (or by hand), not here: say which one is missing.
function checkDebianPackages() {
  const needed = [
    ['/usr/bin/chromium', 'chromium'],
    ['/usr/bin/rg', 'ripgrep'],
  ];
  const missing = needed.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  if (missing.length > 0) {
    const list = missing.join(' ');
    throw new Error(`e2e needs Debian package(s) ${list}: apt-get install -y ${list}`);
  }
}

async function isReady(dir) {
  try {
    const marker = JSON.parse(await readFile(join(dir, MARKER), 'utf8'));
    const wanted = markerContent();
    return marker.recipe === wanted.recipe && marker.node === wanted.node;
  } catch {
    return false;
  }
}

// Native modules are built against one Node ABI; another Node version needs a rebuild.
function markerContent() {
  return { version: CODE_SERVER_VERSION, recipe: RECIPE, node: process.versions.modules };
}

async function timed(log, name, action) {
  const started = Date.now();
  try {
    await action();
  } catch (error) {
    log(`  ✗ ${name} failed after ${seconds(Date.now() - started)}`);
    throw error;
  }
  log(`  ✓ ${name} (${seconds(Date.now() - started)})`);
}

async function onPath(command) {
  try {
    await run('sh', ['-c', `command -v ${command}`], { quiet: true });
    return true;
  } catch {
    return false;
  }
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  onInterrupt(stopAll);
  prepareCodeServer().catch((error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
