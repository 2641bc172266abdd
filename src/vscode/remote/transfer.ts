import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import type {
  MlflowClient,
  PullOptions,
  PushOptions,
  TransferProgress,
  TransferSummary,
} from '../../core/tracking/remote';
import { core } from '../core';
import { log } from '../log';
import type { Services } from '../services';
import type { NodeData, ViewNode } from '../views/node';
import { connectServer, pickServer, serverOf } from './connect';
import { connectionsOf } from './connections';
import type { ServerEntry } from './model';
import { serversView } from './view';

/**
 * Push and pull from the trees: a local run, experiment or model version to a server, a remote
 * run or experiment into the workspace store. Each runs under a cancellable progress notification
 * with the counts so far and ends with what was copied; a failure says what was done before it,
 * since a transfer keeps whatever it finished and the next one carries on from there.
 */

type Direction = 'push' | 'pull';
type Selection = Pick<PushOptions & PullOptions, 'runId' | 'experiment'> &
  Pick<PushOptions, 'version'>;

export async function pushRun(services: Services, arg: unknown): Promise<void> {
  const data = dataOf(arg, 'run');
  if (!data) return void missingItem('Push Run', 'a run in the Experiments view');
  await push(services, { runId: data.runId }, `the run ${data.name || data.runId}`);
}

export async function pushExperiment(services: Services, arg: unknown): Promise<void> {
  const data = dataOf(arg, 'experiment');
  if (!data) return void missingItem('Push Experiment', 'an experiment in the Experiments view');
  await push(services, { experiment: data.name }, `the experiment '${data.name}'`);
}

/** A local model version, with its source run, to a server: from the Models view. */
export async function pushModelVersion(services: Services, arg: unknown): Promise<void> {
  const data = dataOf(arg, 'modelVersion');
  if (!data) return void missingItem('Push Model Version', 'a version in the Models view');
  const version = { name: data.name, version: data.version };
  await push(services, { version }, `${data.name} version ${data.version}`);
}

export async function pullRun(services: Services, arg: unknown): Promise<void> {
  const data = dataOf(arg, 'remoteRun');
  if (!data) return void missingItem('Pull Run', 'a run in the MLflow Servers view');
  await pull(services, arg, { runId: data.runId }, `the run ${data.name || data.runId}`);
}

export async function pullExperiment(services: Services, arg: unknown): Promise<void> {
  const data = dataOf(arg, 'remoteExperiment');
  if (!data) return void missingItem('Pull Experiment', 'an experiment in the MLflow Servers view');
  await pull(services, arg, { experiment: data.name }, `the experiment '${data.name}'`);
}

async function push(services: Services, selection: Selection, what: string): Promise<void> {
  const store = openStore(services);
  if (!store) return;
  const connections = connectionsOf(services);
  const server =
    connections.list().length === 0
      ? await connectServer(connections)
      : await pickServer(connections, `Push ${what}`);
  if (!server) return;

  const client = await connections.client(server);
  const registry = selection.version !== undefined;
  try {
    await transfer('push', what, server, registry, (options) =>
      core().remote.pushToRemote(store, client, { ...selection, ...options }),
    );
  } finally {
    // What the server now holds shows on the next expansion, a stopped push's part included.
    serversView(services)?.refresh(server.name);
  }
}

async function pull(services: Services, arg: unknown, selection: Selection, what: string) {
  const store = openStore(services);
  const connections = connectionsOf(services);
  const server = serverOf(connections, arg);
  if (!store || !server) return;

  const client: MlflowClient = await connections.client(server);
  await transfer('pull', what, server, false, (options) =>
    core().remote.pullFromRemote(store, client, { ...selection, ...options }),
  );
}

type Start = (options: {
  signal: AbortSignal;
  onProgress: (progress: TransferProgress) => void;
  logger: typeof log;
}) => Promise<TransferSummary>;

/**
 * Runs a push or pull under a cancellable notification, then reports how it went; `registry`
 * says what it did to the model registry too.
 */
async function transfer(
  direction: Direction,
  what: string,
  server: ServerEntry,
  registry: boolean,
  start: Start,
) {
  const title =
    direction === 'push'
      ? `Pushing ${what} to ${server.url}`
      : `Pulling ${what} from ${server.url}`;
  log.info(`${title}`);
  const started = Date.now();

  let summary: TransferSummary;
  try {
    summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        const onProgress = ({ done, total, summary: counts, phase }: TransferProgress) =>
          progress.report({ message: core().remote.describeProgress(done, total, counts, phase) });
        return start({ signal: controller.signal, onProgress, logger: log });
      },
    );
  } catch (error) {
    return reportStopped(direction, what, error, registry);
  }

  const text = core().remote.describeSummary(summary, registry);
  log.info(`${title}: ${text} in ${Date.now() - started} ms`);
  const done = direction === 'push' ? `Pushed to ${server.url}` : 'Pulled into the workspace';
  void vscode.window.showInformationMessage(`${done}: ${text}.`);
}

/** A transfer that stopped: what it did before, and that running it again carries on. */
async function reportStopped(
  direction: Direction,
  what: string,
  error: unknown,
  registry: boolean,
): Promise<void> {
  log.error(error instanceof Error ? error : new Error(String(error)));
  const verb = direction === 'push' ? 'Pushing' : 'Pulling';
  const reason = error instanceof Error ? error.message : String(error);

  if (!(error instanceof core().remote.TransferError)) {
    const choice = await vscode.window.showErrorMessage(
      `${verb} ${what} failed: ${reason}`,
      'Show Log',
    );
    if (choice === 'Show Log') log.show();
    return;
  }
  const summary = core().remote.describeSummary(error.summary, registry);
  const sofar = `Done before it stopped: ${summary}.`;
  if (error.aborted) {
    void vscode.window.showWarningMessage(
      `${verb} ${what} was cancelled. ${sofar} Run it again to carry on.`,
    );
    return;
  }
  const choice = await vscode.window.showErrorMessage(
    `${verb} ${what} stopped: ${reason}. ${sofar} Run it again to carry on.`,
    'Show Log',
  );
  if (choice === 'Show Log') log.show();
}

function openStore(services: Services): RunStore | undefined {
  const store = services.tracking.runStore;
  if (!store) {
    void vscode.window.showErrorMessage(
      'The workspace run store is not open: open a folder, trust it, and see the log if it still fails.',
    );
  }
  return store;
}

function dataOf<K extends NodeData['kind']>(arg: unknown, kind: K) {
  const data = (arg as ViewNode | undefined)?.data;
  return data?.kind === kind ? (data as Extract<NodeData, { kind: K }>) : undefined;
}

function missingItem(command: string, where: string): void {
  void vscode.window.showInformationMessage(`${command} works on ${where}: right-click one there.`);
}
