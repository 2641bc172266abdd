// One build for every entry point: the extension host, the language server, the drift worker,
// the CLI and the webview panels. Type checking is separate (`npm run typecheck`), as esbuild
// only strips types.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readdir, readFile, cp, rm, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // sql.js probes for `fs` and `path` itself; the wasm is loaded from dist/ by locateFile.
  external: ['vscode'],
  define: { MODEL_FACTORY_VERSION: JSON.stringify(pkg.version) },
};

const nodeEntries = [
  // The extension host entry stays small; the core modules it needs load on first use.
  {
    entryPoints: { extension: 'src/extension.ts' },
    external: ['vscode', './core.js', './languageClient.js'],
  },
  { entryPoints: { core: 'src/vscode/deferred.ts' } },
  // vscode-languageclient (about 800 KB) loads once an MLproject or Python file is open.
  { entryPoints: { languageClient: 'src/vscode/language/client.ts' } },
  { entryPoints: { server: 'src/server/server.ts' } },
  { entryPoints: { driftWorker: 'src/core/drift/worker.ts' } },
  // Reads the second file of a drift check in a thread of its own (src/core/data/readParallel.ts).
  { entryPoints: { readWorker: 'src/core/data/readWorker.ts' } },
  { entryPoints: { cli: 'src/cli/main.ts' }, banner: { js: '#!/usr/bin/env node' } },
];

/** Every folder under src/webview/ with a main.ts is one panel bundle: dist/webview/<name>.js. */
async function webviewEntries() {
  const dir = path.join(root, 'src/webview');
  const names = existsSync(dir) ? await readdir(dir, { withFileTypes: true }) : [];
  const entries = {};
  for (const entry of names) {
    const main = path.join('src/webview', entry.name, 'main.ts');
    if (entry.isDirectory() && existsSync(path.join(root, main))) entries[entry.name] = main;
  }
  return entries;
}

async function copyAssets() {
  await mkdir(path.join(root, 'dist'), { recursive: true });
  await copyFile(
    path.join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'),
    path.join(root, 'dist/sql-wasm.wasm'),
  );
  // The example project travels inside the VSIX so "Open Example Project" works offline.
  await rm(path.join(root, 'dist/examples'), { recursive: true, force: true });
  if (existsSync(path.join(root, 'examples'))) {
    await cp(path.join(root, 'examples'), path.join(root, 'dist/examples'), { recursive: true });
  }
}

async function main() {
  if (production) await rm(path.join(root, 'dist'), { recursive: true, force: true });
  const options = nodeEntries.map((entry) => ({ ...nodeCommon, ...entry, outdir: 'dist' }));
  const webviews = await webviewEntries();
  if (Object.keys(webviews).length > 0) {
    options.push({
      entryPoints: webviews,
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      outdir: 'dist/webview',
      sourcemap: production ? false : 'linked',
      minify: production,
      logLevel: 'warning',
      loader: { '.css': 'css' },
    });
  }

  await copyAssets();
  if (watch) {
    const contexts = await Promise.all(options.map((o) => esbuild.context(o)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('esbuild: watching for changes');
    return;
  }
  await Promise.all(options.map((o) => esbuild.build(o)));
  await chmod(path.join(root, 'dist/cli.js'), 0o755);
  console.log(`esbuild: built ${options.length} bundles${production ? ' (production)' : ''}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
