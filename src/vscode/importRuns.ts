import * as vscode from 'vscode';

export async function importMlflowRuns(): Promise<void> {
  await vscode.window.showInformationMessage('Import is being built.');
}
