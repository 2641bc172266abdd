import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { commandHandlers, type Services } from '../../../src/vscode/commands';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));

test('every command in package.json has a handler, and every handler is in package.json', () => {
  const services = { context: {}, tracking: {} } as unknown as Services;

  const handled = Object.keys(commandHandlers(services)).sort();
  const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();

  assert.deepEqual(handled, declared);
});
