import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';

let loading: Promise<SqlJsStatic> | undefined;

/**
 * Loads sql.js once per process, on first use rather than at activation. The wasm sits beside
 * the bundle in dist/; when running from source (tests, benchmarks) it comes from node_modules.
 */
export function loadSqlJs(): Promise<SqlJsStatic> {
  loading ??= initSqlJs({ locateFile: () => wasmPath() });
  return loading;
}

function wasmPath(): string {
  const bundled = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(bundled)) return bundled;
  // createRequire keeps esbuild from trying to bundle the wasm path; only source runs reach it.
  return createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm');
}
