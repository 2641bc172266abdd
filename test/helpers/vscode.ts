import Module from 'node:module';
import path from 'node:path';

/**
 * Makes `require('vscode')` load test/fakes/vscode.ts, and core()'s `require('./core.js')` (the
 * deferred bundle beside dist/extension.js) load its source, src/vscode/deferred.ts, so views and
 * commands run from source. Import this module first in a test file that loads src/vscode/.
 */
const fake = path.join(__dirname, '../fakes/vscode.ts');
const deferred = path.join(__dirname, '../../src/vscode/deferred.ts');
const coreLoader = path.join('src', 'vscode', 'core.ts');
const moduleWithResolver = Module as unknown as {
  _resolveFilename: (request: string, parent?: { filename?: string }, ...rest: unknown[]) => string;
};
const original = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = (request, parent, ...rest) => {
  if (request === 'vscode') return fake;
  if (request === './core.js' && parent?.filename?.endsWith(coreLoader)) return deferred;
  return original(request, parent, ...rest);
};
