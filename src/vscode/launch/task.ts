import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LaunchOutcome } from '../../core/projects/launch';
import type { RunRecorder } from '../../core/projects/launchRecorder';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import type { DisposableScope } from '../disposable';
import { ACTIVE_EXPERIMENT_KEY } from '../experiments/ids';
import { log } from '../log';
import type { Services } from '../services';
import type { TrackingEndpoint } from '../tracking';
import { reportMissingInterpreter } from './interpreter';
import {
  LaunchRefused,
  prepareLaunch,
  TASK_TYPE,
  type LaunchDefinition,
  type PreparedLaunch,
} from './resolve';
import { checkTrusted, launchTarget, type LaunchTarget } from './target';

/**
 * Launches in progress, with the promise that settles once each has recorded its outcome, so
 * closing the window terminates them and waits for their runs to end KILLED with their output.
 */
const running = new Map<AbortController, Promise<unknown>>();

/** Terminates every launch and waits (up to 10 s) until each has recorded its run's end. */
export async function stopLaunches(): Promise<void> {
  const pending = [...running.entries()].map(([controller, done]) => {
    controller.abort();
    return done;
  });
  const deadline = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
  await Promise.race([Promise.allSettled(pending), deadline]);
}

/** Every launch that ran to its end, for features that follow up (a retrain offers to register). */
const finished = new vscode.EventEmitter<{
  definition: LaunchDefinition;
  outcome: LaunchOutcome;
}>();
export const onLaunchFinished = finished.event;

/** The provider that runs `modelFactory` tasks from tasks.json, tracked in the extension scope. */
export function registerLaunchTasks(services: Services, scope: DisposableScope): void {
  scope.track(
    vscode.tasks.registerTaskProvider(TASK_TYPE, {
      provideTasks: () => [],
      resolveTask: (task) => {
        if (task.definition.type !== TASK_TYPE) return undefined;
        return launchTask(services, task.definition as LaunchDefinition, task.scope);
      },
    }),
  );
  // deactivate() awaits stopLaunches() before the store closes; this covers a plain dispose.
  scope.track({ dispose: () => running.forEach((_done, controller) => controller.abort()) });
}

/**
 * The one way a launch runs, whether from a code lens or tasks.json: a task whose custom
 * execution asks what is still missing, then runs the process in a pseudoterminal.
 */
export function launchTask(
  services: Services,
  definition: LaunchDefinition,
  scope: vscode.Task['scope'],
  prepared?: { launch: PreparedLaunch; target: LaunchTarget },
): vscode.Task {
  const folder = typeof scope === 'object' ? scope : undefined;
  const target = definition.script ?? definition.entryPoint ?? 'main';
  const execution = new vscode.CustomExecution(
    async () => new LaunchTerminal(services, definition, folder?.uri.fsPath, prepared),
  );
  const task = new vscode.Task(
    definition,
    scope ?? vscode.TaskScope.Workspace,
    `${definition.kind} ${path.basename(target)}`,
    'Model Factory',
    execution,
  );
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
  return task;
}

/** Refuses with the reason unless the workspace is trusted and this window owns the store. */
export async function readyStore(
  services: Services,
): Promise<{ store: RunStore; endpoint: TrackingEndpoint }> {
  checkTrusted();
  await services.tracking.start();
  const { runStore: store, endpoint } = services.tracking;
  if (services.tracking.state === 'shared') {
    throw new LaunchRefused(
      'Another VS Code window has this run store open; launch from that window, or close it',
    );
  }
  if (!store || !endpoint) {
    throw new LaunchRefused('The run store is not open (see the Model Factory log)');
  }
  return { store, endpoint };
}

class LaunchTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  private readonly abort = new AbortController();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;

  constructor(
    private readonly services: Services,
    private readonly definition: LaunchDefinition,
    private readonly folder: string | undefined,
    private readonly prepared: { launch: PreparedLaunch; target: LaunchTarget } | undefined,
  ) {}

  open(): void {
    const done = this.run()
      .then((code) => this.end(code))
      .catch((error) => {
        this.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
        if (!(error instanceof LaunchRefused)) log.error(error);
        this.end(1);
      });
    running.set(this.abort, done);
  }

  /** The user terminated the task: the process is killed and the run ends KILLED. */
  close(): void {
    this.abort.abort();
  }

  /** Tasks from tasks.json (and "Rerun Last Task") arrive unprepared and ask here. */
  private async run(): Promise<number> {
    const target =
      this.prepared?.target ?? (await launchTarget(this.services, this.definition.kind));
    if (target.kind === 'remote') return this.runRemote(target);

    const { store, endpoint } = await readyStore(this.services);
    const prepared =
      this.prepared?.launch ?? (await prepareLaunch(this.definition, this.folder, store, false));
    if (!prepared) return 1;
    if (target.note) this.write(`${target.note}\n`);
    const recorder = core().launch.storeRecorder(store, {
      trackingUri: endpoint.url,
      token: endpoint.token,
    });
    return this.execute(recorder, prepared);
  }

  /** A run on an MLflow server: the store is not needed, and no other window is in the way. */
  private async runRemote(target: Extract<LaunchTarget, { kind: 'remote' }>): Promise<number> {
    const prepared =
      this.prepared?.launch ??
      (await prepareLaunch(this.definition, this.folder, undefined, false));
    if (!prepared) return 1;
    const recorder = core().launch.remoteRecorder(target.remote, { logger: log });
    try {
      return await this.execute(recorder, prepared);
    } finally {
      recorder.close();
    }
  }

  private async execute(recorder: RunRecorder, prepared: PreparedLaunch): Promise<number> {
    const { launch } = core();
    const { plan, model } = prepared;
    this.write(`▶ ${launch.displayCommand(plan.argv)}\n  in ${plan.cwd}\n`);
    const outcome = await launch.runRecorded(recorder, plan, launch.spawnRunner, {
      experiment: this.definition.experiment,
      activeExperiment: this.services.context.workspaceState.get<string>(ACTIVE_EXPERIMENT_KEY),
      pythonModuleDir: this.services.tracking.pythonModuleDir(),
      model,
      extraTags: Object.entries(this.definition.tags ?? {}).map(([key, value]) => ({ key, value })),
      onOutput: (text) => this.write(text),
      onRunCreated: (runId, _experimentId, experiment) =>
        this.write(createdLine(recorder, runId, experiment)),
      signal: this.abort.signal,
      logger: log,
    });
    this.write(`\n${summary(outcome)}\n`);
    // Its listeners read the run from the workspace store, where a remote run is not.
    if (!outcome.trackingServer) finished.fire({ definition: this.definition, outcome });
    if (outcome.exit.error?.code === 'ENOENT') void reportMissingInterpreter(plan.argv[0]);
    return outcome.exit.code ?? 1;
  }

  private write(text: string): void {
    // A terminal needs carriage returns; the process prints bare newlines.
    this.written.fire(text.replace(/\r?\n/g, '\r\n'));
  }

  private end(code: number): void {
    running.delete(this.abort);
    this.closed.fire(code);
  }
}

/** Where the run went: on a server it is not in the Experiments view, so the line says so. */
function createdLine(recorder: RunRecorder, runId: string, experiment: string): string {
  if (recorder.kind === 'store') return `  run ${runId}\n\n`;
  log.info(`launch: run ${runId} is recorded on ${recorder.destination}, experiment ${experiment}`);
  return (
    `  run ${runId} in experiment ${experiment} on ${recorder.destination}\n` +
    '  (on that MLflow server, not in the Experiments view: the MLflow Servers view lists it)\n\n'
  );
}

function summary(outcome: LaunchOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  const how = outcome.exit.error
    ? 'did not start'
    : outcome.exit.signal
      ? `was terminated (${outcome.exit.signal})`
      : `exited with code ${outcome.exit.code}`;
  const where = outcome.trackingServer ? ` on ${outcome.trackingServer}` : '';
  return `The process ${how} after ${seconds} s; run ${outcome.runId} is ${outcome.status}${where}.`;
}
