import * as vscode from 'vscode';
import { core } from '../core';
import type { DisposableScope } from '../disposable';
import type { NodeData, ViewNode } from '../views/node';
import type { Connections } from './connections';
import { REMOTE_RUN_SCHEME } from './ids';

/**
 * Remote runs and model versions open as read-only Markdown previews: a virtual document per run
 * or version, whose text is built from what the server says when it is opened (and kept until
 * the window closes).
 */
// FIXME: a page is a snapshot of when it was opened: an alias or tag changed from the view
// afterwards shows on the page only once the user opens the version again.
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

/** Reads the version (and its source run) from its server and shows them. */
export async function openRemoteVersion(connections: Connections, arg: unknown): Promise<void> {
  const data = (arg as ViewNode | undefined)?.data;
  if (data?.kind !== 'remoteVersion') return;
  const server = connections.find(data.server);
  if (!server) return;

  const client = await connections.client(server);
  const version = await client.registry.getVersion(data.name, data.version);
  if (!version) {
    throw new Error(
      `${server.url} no longer has ${data.name} version ${data.version}: refresh the view`,
    );
  }
  const run = version.runId ? await client.runs.find(version.runId) : undefined;
  const uri = versionUri(data);
  documents.set(uri.toString(), core().remote.versionMarkdown(version, run, server.url));

  await vscode.commands.executeCommand('markdown.showPreview', uri);
}

function versionUri(data: Extract<NodeData, { kind: 'remoteVersion' }>): vscode.Uri {
  const name = `${data.name}-v${data.version}`.replace(/[^\w.-]+/g, '-');
  const query = [
    `server=${encodeURIComponent(data.server)}`,
    `model=${encodeURIComponent(data.name)}`,
    `version=${encodeURIComponent(data.version)}`,
  ];
  return vscode.Uri.from({
    scheme: REMOTE_RUN_SCHEME,
    path: `/${name}.md`,
    query: query.join('&'),
  });
}
