import * as vscode from 'vscode';
import { reportFailure, log } from './log';

/**
 * The example the command copies: examples/churn, which esbuild.mjs copies into dist/examples. It
 * is the one with both entry points the factory needs (train, and evaluate reading MODEL_URI and
 * MODEL_PATH) and a reference and a drifted current data file, so every step of the walkthrough
 * works on it.
 */
export const EXAMPLE_PROJECT = 'churn';

/**
 * Copies the bundled example project into a folder the user picks, then opens it. The copy keeps
 * the packaged original untouched, and the user owns what they experiment on.
 */
export async function openExampleProject(context: vscode.ExtensionContext): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Create Example Here',
    title: 'Choose a folder for the Model Factory example project',
  });
  if (!picked || picked.length === 0) return;

  const source = vscode.Uri.joinPath(context.extensionUri, 'dist', 'examples', EXAMPLE_PROJECT);
  const target = vscode.Uri.joinPath(picked[0], 'model-factory-example');
  try {
    if (await exists(target)) {
      throw new Error(`${target.fsPath} already exists`);
    }
    await vscode.workspace.fs.copy(source, target, { overwrite: false });
    log.info(`Copied the example project to ${target.fsPath}`);
    await vscode.commands.executeCommand('vscode.openFolder', target, {
      forceNewWindow: vscode.workspace.workspaceFolders !== undefined,
    });
  } catch (error) {
    await reportFailure(
      'Creating the example project',
      error,
      'Pick an empty folder, or remove the existing model-factory-example folder.',
    );
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
