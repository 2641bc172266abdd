import * as vscode from 'vscode';
import type { ScoringServer } from '../../core/deploy';
import { log } from '../log';
import { DeployCommand, SERVING_CONTEXT } from './ids';

/**
 * The model versions being served in this window, each with its status bar item. A server is
 * added once it answers and removed when its process ends, however it ends.
 */

export interface Served {
  /** models:/name/version. */
  uri: string;
  /** "churn v3", for messages and the status bar. */
  label: string;
  url: string;
  port: number;
  /** The model's artifacts, where "Try it" looks for an input example. */
  modelPath: string;
  server: ScoringServer;
}

/** A start that succeeded or failed, for the command that asked for it. */
export type ServeOutcome = { uri: string } & ({ served: Served } | { error: Error });

const servers = new Map<string, { served: Served; item: vscode.StatusBarItem }>();
const outcomes = new vscode.EventEmitter<ServeOutcome>();

export const onServeOutcome = outcomes.event;

export function reportOutcome(outcome: ServeOutcome): void {
  outcomes.fire(outcome);
}

export function servedModels(): Served[] {
  return [...servers.values()].map((entry) => entry.served);
}

export function servedModel(uri: string): Served | undefined {
  return servers.get(uri)?.served;
}

/** Shows the server in the status bar until its process ends. */
export function addServed(served: Served): void {
  const item = vscode.window.createStatusBarItem(
    `modelFactory.served.${served.uri}`,
    vscode.StatusBarAlignment.Left,
    9,
  );
  item.name = `Model Factory: ${served.label} served`;
  item.text = `$(broadcast) ${served.label} :${served.port}`;
  item.tooltip = `${served.uri} is served at ${served.url}. Click to try it, copy its URL or stop it.`;
  item.command = {
    command: DeployCommand.servedActions,
    title: 'Served Model Actions',
    arguments: [served.uri],
  };
  item.show();
  servers.set(served.uri, { served, item });
  void updateContext();

  void served.server.exited.then(() => {
    if (servers.get(served.uri)?.served !== served) return;
    servers.delete(served.uri);
    item.dispose();
    void updateContext();
  });
}

/** Stops one server; its task's terminal then says so and closes. */
export async function stopServed(uri: string): Promise<void> {
  const entry = servers.get(uri);
  if (!entry) return;
  log.info(`stopping the scoring server of ${uri} at ${entry.served.url}`);
  await entry.served.server.stop();
}

function updateContext(): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', SERVING_CONTEXT, servers.size > 0);
}
