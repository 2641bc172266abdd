import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LaunchOutcome } from '../../core/projects/launch';
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
  prepared?: PreparedLaunch,
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
  if (!vscode.workspace.isTrusted) {
    throw new LaunchRefused(
      'This workspace is not trusted, and launching runs its code; trust the workspace to launch',
    );
  }
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
    private readonly prepared: PreparedLaunch | undefined,
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

  private async run(): Promise<number> {
    const { store, endpoint } = await readyStore(this.services);
    const prepared =
      this.prepared ?? (await prepareLaunch(this.definition, this.folder, store, false));
    if (!prepared) return 1;

    const { launch } = core();
    const { plan, model } = prepared;
    this.write(`▶ ${launch.displayCommand(plan.argv)}\n  in ${plan.cwd}\n`);
    const outcome = await launch.runTracked(store, plan, launch.spawnRunner, {
      experiment: this.definition.experiment,
      activeExperiment: this.services.context.workspaceState.get<string>(ACTIVE_EXPERIMENT_KEY),
      trackingUri: endpoint.url,
      token: endpoint.token,
      pythonModuleDir: this.services.tracking.pythonModuleDir(),
      model,
      extraTags: Object.entries(this.definition.tags ?? {}).map(([key, value]) => ({ key, value })),
      onOutput: (text) => this.write(text),
      onRunCreated: (runId) => this.write(`  run ${runId}\n\n`),
      signal: this.abort.signal,
      logger: log,
    });
    this.write(`\n${summary(outcome)}\n`);
    finished.fire({ definition: this.definition, outcome });
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

function summary(outcome: LaunchOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  const how = outcome.exit.error
    ? 'did not start'
    : outcome.exit.signal
      ? `was terminated (${outcome.exit.signal})`
      : `exited with code ${outcome.exit.code}`;
  return `The process ${how} after ${seconds} s; run ${outcome.runId} is ${outcome.status}.`;
}
