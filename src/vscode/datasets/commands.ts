import * as vscode from 'vscode';
import type { Handler, Services } from '../services';
import type { ViewNode } from '../views/node';
import { DatasetCommand, type DatasetCommandId } from './ids';
import { rescanDatasets } from './view';

/** Handlers of the datasets view's commands; the item commands act on the clicked item. */
export function datasetCommands(_services: Services): Record<DatasetCommandId, Handler> {
  return {
    [DatasetCommand.refreshDatasets]: () => rescanDatasets(),
    [DatasetCommand.revealInExplorer]: (node) => revealInExplorer(node as ViewNode | undefined),
    [DatasetCommand.copyDigest]: (node) => copyDigest(node as ViewNode | undefined),
  };
}

async function revealInExplorer(node: ViewNode | undefined): Promise<void> {
  const path = node?.data?.kind === 'dataset' ? node.data.path : undefined;
  if (!path) return;
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(path));
}

async function copyDigest(node: ViewNode | undefined): Promise<void> {
  const digest = node?.data?.kind === 'dataset' ? node.data.digest : undefined;
  if (!digest) return;
  await vscode.env.clipboard.writeText(digest);
  vscode.window.setStatusBarMessage(`$(copy) Copied the digest ${digest}`, 4000);
}
