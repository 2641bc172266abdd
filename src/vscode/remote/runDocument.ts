import * as vscode from 'vscode';
import { core } from '../core';
import type { DisposableScope } from '../disposable';
import type { NodeData, ViewNode } from '../views/node';
import type { Connections } from './connections';
import { REMOTE_RUN_SCHEME } from './ids';

/**
 * Remote runs open as read-only Markdown previews: a virtual document per run, whose text is
 * built from one runs/get call when the run is opened (and kept until the window closes).
 */
const documents = new Map<string, string>();

export function registerRunDocuments(scope: DisposableScope): void {
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: (uri) => documents.get(uri.toString()) ?? '',
  };
  scope.track(vscode.workspace.registerTextDocumentContentProvider(REMOTE_RUN_SCHEME, provider));
  scope.track({ dispose: () => documents.clear() });
}

/** Reads the run from its server and shows its params, latest metrics and tags. */
export async function openRemoteRun(connections: Connections, arg: unknown): Promise<void> {
  const data = (arg as ViewNode | undefined)?.data;
  if (data?.kind !== 'remoteRun') return;
  const server = connections.find(data.server);
  if (!server) return;

  const client = await connections.client(server);
  const run = await client.runs.get(data.runId);
  const uri = runUri(data);
  documents.set(uri.toString(), core().remote.runMarkdown(run, server.url));

  await vscode.commands.executeCommand('markdown.showPreview', uri);
}

function runUri(data: Extract<NodeData, { kind: 'remoteRun' }>): vscode.Uri {
  const name = (data.name || data.runId).replace(/[^\w.-]+/g, '-');
  return vscode.Uri.from({
    scheme: REMOTE_RUN_SCHEME,
    path: `/${name}.md`,
    query: `server=${encodeURIComponent(data.server)}&run=${data.runId}`,
  });
}
