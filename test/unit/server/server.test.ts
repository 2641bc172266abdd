import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  CodeLensRequest,
  createMessageConnection,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

import { PARAMETER_AT_METHOD } from '../../../src/protocol/language';

const root = path.join(__dirname, '../../..');
const serverModule = path.join(root, 'dist/server.js');
const URI = 'file:///work/churn/MLproject';
const BROKEN = 'entry_points:\n  train:\n    parameters: {alpha: {type: flaot}}\n';

/** The built server over stdio, as VS Code would start it, with a JSON-RPC client on the pipes. */
function startServer() {
  if (!existsSync(serverModule)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root });
  const child = spawn(process.execPath, [serverModule, '--stdio'], { stdio: 'pipe' });
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.listen();
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, connection, exited };
}

test('the built server publishes diagnostics for a broken MLproject and answers code lenses', async (t) => {
  const { child, connection, exited } = startServer();
  t.after(() => child.kill());
  const published = new Promise<PublishDiagnosticsParams>((resolve) =>
    connection.onNotification(PublishDiagnosticsNotification.type, resolve),
  );

  const init = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: {},
    initializationOptions: { trainPatterns: ['train*'], evaluatePatterns: ['eval*'] },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  await connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri: URI, languageId: 'mlproject', version: 1, text: BROKEN },
  });
  const diagnostics = await published;
  const lenses = await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: URI } });

  assert.equal(init.serverInfo?.name, 'Model Factory Language Server');
  assert.ok(init.capabilities.codeLensProvider);
  assert.equal(diagnostics.uri, URI);
  assert.deepEqual(
    diagnostics.diagnostics.map((d) => [d.code, d.range.start.line]),
    [
      ['unknown-type', 2],
      ['missing-command', 1],
    ],
  );
  assert.deepEqual(
    lenses?.map((lens) => [lens.command?.title, lens.command?.arguments?.[0]]),
    [
      ['▶ Run', { kind: 'train', uri: URI, entryPoint: 'train' }],
      ['▶ Run with parameters…', { kind: 'train', uri: URI, entryPoint: 'train', ask: true }],
    ],
  );

  // The client's hover asks what is under the cursor, to add values from the store.
  const at = await connection.sendRequest(PARAMETER_AT_METHOD, {
    uri: URI,
    position: { line: 2, character: 20 },
  });
  const nothing = await connection.sendRequest(PARAMETER_AT_METHOD, {
    uri: 'file:///elsewhere/MLproject',
    position: { line: 0, character: 0 },
  });
  assert.deepEqual(at, { entryPoint: 'train', parameter: 'alpha' });
  assert.equal(nothing, null);

  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  assert.equal(await exited, 0);
  connection.dispose();
});
