import Module from 'node:module';
import path from 'node:path';

/**
 * Makes `require('vscode')` load test/fakes/vscode.ts. Import this module first in a test file
 * that loads code from src/vscode/.
 */
const fake = path.join(__dirname, '../fakes/vscode.ts');
const moduleWithResolver = Module as unknown as {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
};
const original = moduleWithResolver._resolveFilename;
moduleWithResolver._resolveFilename = (request: string, ...rest: unknown[]) =>
  request === 'vscode' ? fake : original(request, ...rest);
