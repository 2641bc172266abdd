import * as vscode from 'vscode';
import { core } from '../core';
import type { DisposableScope } from '../disposable';
import { chooseInterpreter } from '../launch/interpreter';
import { log } from '../log';
import type { Services } from '../services';
import { SERVE_TASK_TYPE } from './ids';
import { addServed, reportOutcome, servedModel, type Served } from './servers';

/** A "Serve Locally" task as tasks.json would write it. */
export interface ServeDefinition extends vscode.TaskDefinition {
  type: typeof SERVE_TASK_TYPE;
  /** models:/name/version, models:/name@alias or runs:/run_id/path. */
  model: string;
}

/** A serve that cannot go ahead, with a message for the user (no stack needed). */
export class ServeRefused extends Error {
  // The name is how the serve command tells a refusal from a bug, across the bundles.
  override name = 'ServeRefused';
}

/** The reason serving is refused in an untrusted workspace, also used by scoring. */
export const UNTRUSTED_REASON =
  'this workspace is not trusted, and loading a model runs its code (a pickle or an mlflow ' +
  'model can run anything); trust the workspace first';

/**
 * How long a served model's process has between SIGTERM and SIGKILL when the window closes. VS
 * Code gives deactivate() a few seconds; a server that lingers past them would outlive it.
 */
export const STOP_GRACE_MS = 3000;

/** The serve tasks whose server is loading or running, for stopServing. */
const terminals = new Set<ServeTerminal>();

/** Serve tasks from tasks.json, and stopping every server with the window. */
export function registerServeTasks(services: Services, scope: DisposableScope): void {
  scope.track(
    vscode.tasks.registerTaskProvider(SERVE_TASK_TYPE, {
      provideTasks: () => [],
      resolveTask: (task) =>
        task.definition.type === SERVE_TASK_TYPE
          ? serveTask(services, task.definition as ServeDefinition)
          : undefined,
    }),
  );
  // deactivate() awaits stopServing() before the scope goes; this covers a plain dispose.
  scope.track({ dispose: () => void stopServing() });
}

/**
 * Stops every served model, and every one still loading its model, and resolves once their
 * processes have ended: SIGTERM, then SIGKILL after graceMs (a model loading is killed at once,
 * as it holds nothing to save). The wait is bounded all the same, since a process whose pipes a
 * child of its own still holds never reports its end.
 */
export async function stopServing(graceMs = STOP_GRACE_MS): Promise<void> {
  const stopping = [...terminals].map((terminal) => terminal.stop(graceMs));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs + 1000)));
  await Promise.race([Promise.allSettled(stopping), deadline]);
  clearTimeout(timer);
}

/** The task: a pseudoterminal that shows the server's log and stops it when terminated. */
export function serveTask(services: Services, definition: ServeDefinition): vscode.Task {
  const execution = new vscode.CustomExecution(
    async (resolved) => new ServeTerminal(services, resolved as ServeDefinition),
  );
  const task = new vscode.Task(
    definition,
    vscode.TaskScope.Workspace,
    `serve ${definition.model}`,
    'Model Factory',
    execution,
  );
  task.isBackground = true;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Silent, clear: true };
  return task;
}

/** What a served version is called in the status bar and in messages: "churn v3". */
export function servedLabel(uri: string, name?: string, version?: string): string {
  return name && version ? `${name} v${version}` : uri;
}

export class ServeTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  private served: Served | undefined;
  private terminated = false;
  private graceMs: number | undefined;
  /** Aborted to stop a server whose model is still loading. */
  private readonly starting = new AbortController();
  /** Settles once the server has ended and the terminal has closed. */
  private done: Promise<void> = Promise.resolve();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;

  constructor(
    private readonly services: Services,
    private readonly definition: ServeDefinition,
  ) {}

  open(): void {
    terminals.add(this);
    this.done = this.run()
      .then((code) => this.closed.fire(code))
      .catch((error: Error) => {
        this.write(`\n${error.message}\n`);
        if (!(error instanceof ServeRefused) && error.name !== 'DeployError') log.error(error);
        reportOutcome({ uri: this.definition.model, error });
        this.closed.fire(1);
      })
      .finally(() => terminals.delete(this));
  }

  /** The user terminated the task (or closed its terminal): the server stops. */
  close(): void {
    void this.stop();
  }

  /** Stops the server, or its start, and resolves once the task has ended. */
  async stop(graceMs?: number): Promise<void> {
    this.terminated = true;
    this.graceMs = graceMs;
    this.starting.abort();
    await Promise.allSettled([this.served?.server.stop(graceMs), this.done]);
  }

  private async run(): Promise<number> {
    const served = await this.start().catch((error: unknown) => {
      if (!this.terminated) throw error;
      throw new ServeRefused('The task was terminated before the server was ready.');
    });
    if (this.terminated) {
      await served.server.stop(this.graceMs);
      throw new ServeRefused('The task was terminated before the server was ready.');
    }
    this.served = served;
    addServed(served);
    reportOutcome({ uri: this.definition.model, served });

    const exit = await served.server.exited;
    const how = exit.signal ? `was stopped (${exit.signal})` : `exited with code ${exit.code}`;
    this.write(`\nThe scoring server of ${served.uri} ${how}.\n`);
    log.info(`scoring server of ${served.uri} at ${served.url} ${how}`);
    return this.terminated || exit.code === 0 || exit.signal === 'SIGTERM' ? 0 : (exit.code ?? 1);
  }

  private async start(): Promise<Served> {
    if (!vscode.workspace.isTrusted) throw new ServeRefused(`Cannot serve: ${UNTRUSTED_REASON}.`);
    await this.services.tracking.start();
    const store = this.services.tracking.runStore;
    if (!store) throw new ServeRefused('Cannot serve: the run store is not open in this window.');
    const { deploy } = core();
    const model = deploy.resolveModelUri(store, this.definition.model);
    const uri = model.canonicalUri;
    const running = servedModel(uri);
    if (running) throw new ServeRefused(`${uri} is already served at ${running.url}.`);

    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(model.path);
    const python = await chooseInterpreter(folder);
    this.write(`▶ Serving ${uri} from ${model.path}\n  with ${python}\n`);
    const server = await deploy.startScoringServer({
      modelPath: model.path,
      label: uri,
      python,
      onLog: (line) => this.write(`${line}\n`),
      signal: this.starting.signal,
    });
    this.write(
      `${server.readyLine}\n  POST ${server.url}/invocations; terminate the task to stop.\n\n`,
    );
    log.info(`scoring server of ${uri} at ${server.url} (${python})`);
    const label = servedLabel(uri, model.version?.name, model.version?.version);
    return { uri, label, url: server.url, port: server.port, modelPath: model.path, server };
  }

  private write(text: string): void {
    // A terminal needs carriage returns; the server prints bare newlines.
    this.written.fire(text.replace(/\r?\n/g, '\r\n'));
  }
}
