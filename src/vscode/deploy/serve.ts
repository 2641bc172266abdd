import * as vscode from 'vscode';
import { reportFailure } from '../log';
import { openStore, versionTarget } from '../models/prompts';
import type { Services } from '../services';
import { SERVE_TASK_TYPE } from './ids';
import { onServeOutcome, servedModel, servedModels, stopServed, type Served } from './servers';
import { serveTask, servedLabel, UNTRUSTED_REASON, type ServeDefinition } from './serveTask';
import { tryServed } from './tryIt';

/**
 * "Serve Locally" on a model version: starts its scoring server as a task, waits until it
 * answers (or says why it cannot), and offers to try it.
 */
export async function serveVersion(services: Services, arg: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(`Cannot serve the model: ${UNTRUSTED_REASON}.`);
    return;
  }
  const store = await openStore(services.tracking);
  if (!store) return;
  const version = await versionTarget(store, arg);
  if (!version) return;
  const uri = `models:/${version.name}/${version.version}`;
  const label = servedLabel(uri, version.name, version.version);

  const running = servedModel(uri);
  if (running) return servedActions(running, `${label} is already served at ${running.url}.`);
  try {
    const served = await startServing(services, uri, label);
    if (served) await servedActions(served, `Serving ${label} at ${served.url}.`);
  } catch (error) {
    await reportServeFailure(label, error);
  }
}

/** Runs the task and resolves with the server once it answers; rejects with its reason. */
async function startServing(services: Services, uri: string, label: string) {
  const definition: ServeDefinition = { type: SERVE_TASK_TYPE, model: uri };
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Starting ${label}…` },
    () =>
      new Promise<Served>((resolve, reject) => {
        const listener = onServeOutcome((outcome) => {
          if (outcome.uri !== uri) return;
          listener.dispose();
          if ('served' in outcome) resolve(outcome.served);
          else reject(outcome.error);
        });
        vscode.tasks.executeTask(serveTask(services, definition)).then(undefined, (error) => {
          listener.dispose();
          reject(error);
        });
      }),
  );
}

async function reportServeFailure(label: string, error: unknown): Promise<void> {
  const name = error instanceof Error ? error.name : '';
  if (name === 'DeployError' || name === 'ServeRefused') {
    // The server's own reason (which loaders were tried, and why each failed) is the message.
    void vscode.window.showErrorMessage(`Cannot serve ${label}: ${(error as Error).message}`);
    return;
  }
  await reportFailure(`Serving ${label}`, error, 'See the Model Factory log.');
}

/** The status bar item's menu, and the message after a start: try, copy the URL, or stop. */
export async function servedActions(served: Served | undefined, message?: string): Promise<void> {
  const target = served ?? (await pickServed('Which served model?'));
  if (!target) return;
  const actions = ['Try It', 'Copy URL', 'Stop'];
  const choice = message
    ? await vscode.window.showInformationMessage(message, ...actions)
    : await vscode.window.showQuickPick(actions, { title: `${target.label} at ${target.url}` });

  if (choice === 'Try It') await tryServed(target);
  if (choice === 'Copy URL') {
    await vscode.env.clipboard.writeText(target.url);
    void vscode.window.setStatusBarMessage(`Copied ${target.url}`, 3000);
  }
  if (choice === 'Stop') await stopServed(target.uri);
}

export async function stopServing(arg: unknown): Promise<void> {
  const target = servedFromArg(arg) ?? (await pickServed('Stop serving which model?'));
  if (target) await stopServed(target.uri);
}

/** A served model named by a command argument (its URI, as the status bar item passes it). */
export function servedFromArg(arg: unknown): Served | undefined {
  return typeof arg === 'string' ? servedModel(arg) : undefined;
}

/** The one served model, or one the user picks; says so when nothing is served. */
export async function pickServed(title: string): Promise<Served | undefined> {
  const all = servedModels();
  if (all.length === 0) {
    void vscode.window.showInformationMessage(
      'No model is being served: use Serve Locally on a model version in the Models view.',
    );
    return undefined;
  }
  if (all.length === 1) return all[0];
  const items = all.map((served) => ({ label: served.label, description: served.url, served }));
  return (await vscode.window.showQuickPick(items, { title }))?.served;
}
