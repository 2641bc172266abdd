import os from 'node:os';
import path from 'node:path';
import { silentLogger, type Logger } from '../log';
import type { RunStatus, Tag } from '../store/entities';
import type { RunStore } from '../store/store';
import type { EvaluatedModel } from './launchEvaluate';
import { gitTags } from './launchGit';
import { OutputTail } from './launchOutput';
import { displayCommand, type LaunchPlan } from './launchPlan';
import type { ProcessExit, ProcessRunner } from './launchProcess';
import { storeRecorder, type RecordedRun, type RunRecorder } from './launchRecorder';

/**
 * A tracked launch: the run exists before the process starts (in the workspace store, or on a
 * remote MLflow server, through a RunRecorder), so a script that crashes on its first line still
 * leaves a FAILED run with its output, and the script logs into that run through MLFLOW_RUN_ID
 * instead of starting one of its own.
 */

export interface TrackedOptions extends RecordedOptions {
  trackingUri: string;
  token?: string;
}

/** What a launch needs besides where it is recorded. */
export interface RecordedOptions {
  /** The experiment the user asked for by name (a task's `experiment`). */
  experiment?: string;
  /** The workspace's active experiment, used when none was asked for. */
  activeExperiment?: string;
  /** The folder of the bundled model_factory module, put first on PYTHONPATH. */
  pythonModuleDir: string;
  /** For an evaluation: the model version it evaluates. */
  model?: EvaluatedModel;
  /** More tags for the run, such as the drift check that caused a retrain. */
  extraTags?: Tag[];
  /** The environment the process inherits; process.env unless given. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Live output, for the terminal. */
  onOutput?: (text: string) => void;
  /** Called once the run exists and before the process starts. */
  onRunCreated?: (runId: string, experimentId: string, experimentName: string) => void;
  /** Aborting terminates the process; the run then ends KILLED. */
  signal?: AbortSignal;
  outputCap?: number;
  logger?: Logger;
}

export interface LaunchOutcome {
  runId: string;
  experimentId: string;
  experimentName: string;
  /** The run's status after the launch: what the script set, or what the exit implied. */
  status: RunStatus;
  exit: ProcessExit;
  durationMs: number;
  /** The MLflow server the run is on, when it is not in the workspace store. */
  trackingServer?: string;
}

export { EXIT_CODE_TAG, OUTPUT_ARTIFACT } from './launchRecorder';
export const KIND_TAG = 'model_factory.kind';

/**
 * The variables that name a tracking server or its credentials. Inherited ones are dropped
 * before the launch's own are set: a user name left from another server would make MLflow's
 * client send basic authentication in place of the token this server wants.
 */
const TRACKING_VARIABLES = [
  'MLFLOW_TRACKING_TOKEN',
  'MLFLOW_TRACKING_USERNAME',
  'MLFLOW_TRACKING_PASSWORD',
  'MLFLOW_TRACKING_SERVER_CERT_PATH',
];

/** A launch recorded in the workspace store, whose tracking server the caller runs. */
export function runTracked(
  store: RunStore,
  plan: LaunchPlan,
  runner: ProcessRunner,
  options: TrackedOptions,
): Promise<LaunchOutcome> {
  const recorder = storeRecorder(store, { trackingUri: options.trackingUri, token: options.token });
  return runRecorded(recorder, plan, runner, options);
}

/** A launch recorded wherever `recorder` records: the workspace store or an MLflow server. */
export async function runRecorded(
  recorder: RunRecorder,
  plan: LaunchPlan,
  runner: ProcessRunner,
  options: RecordedOptions,
): Promise<LaunchOutcome> {
  const logger = options.logger ?? silentLogger;
  const run = await recorder.createRun({
    experimentName: options.experiment || options.activeExperiment || plan.projectName,
    startTime: Date.now(),
    tags: [...launchTags(plan, options), ...(await gitTags(plan.cwd))],
    params: Object.entries(plan.params).map(([key, value]) => ({ key, value })),
  });
  options.onRunCreated?.(run.runId, run.experimentId, run.experimentName);

  const env = processEnv(plan, options, recorder, run);
  const { exit, durationMs, output } = await captured(plan, runner, env, options);

  await recorder.saveOutput(run, output).catch((error: Error) => {
    logger.warn(`launch: the output of run ${run.runId} was not kept: ${error.message}`);
  });
  const status = await finishRun(recorder, run, exit, options.signal?.aborted ?? false);
  if (options.model && status === 'FINISHED') await recorder.recordEvaluation?.(run, options.model);

  const { runId, experimentId, experimentName } = run;
  const outcome: LaunchOutcome = { runId, experimentId, experimentName, status, exit, durationMs };
  if (recorder.kind === 'remote') outcome.trackingServer = recorder.destination;
  logger.info(`launch: ${displayCommand(plan.argv)} in ${plan.cwd}: ${describeEnd(outcome)}`);
  return outcome;
}

/** "exit 0 after 1.2 s, run <id> FINISHED", and the server when the run is on one. */
function describeEnd(outcome: LaunchOutcome): string {
  const { exit } = outcome;
  const code = exit.error ? `not started (${exit.error.code})` : (exit.signal ?? exit.code);
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  const where = outcome.trackingServer ? ` on ${outcome.trackingServer}` : '';
  return `exit ${code} after ${seconds} s, run ${outcome.runId} ${outcome.status}${where}`;
}

function launchTags(plan: LaunchPlan, options: RecordedOptions): Tag[] {
  const tags: Tag[] = [
    { key: 'mlflow.source.name', value: plan.sourceName },
    { key: 'mlflow.source.type', value: 'LOCAL' },
    { key: 'mlflow.project.entryPoint', value: plan.entryPoint },
    { key: 'mlflow.user', value: userName() },
    { key: KIND_TAG, value: plan.kind },
  ];
  if (options.model) tags.push({ key: 'model_factory.evaluated_model', value: options.model.uri });
  return [...tags, ...(options.extraTags ?? [])];
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // A uid without a passwd entry (some containers) has no name.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

function processEnv(
  plan: LaunchPlan,
  options: RecordedOptions,
  recorder: RunRecorder,
  run: RecordedRun,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(options.baseEnv ?? process.env) };
  // The run is chosen by id; a name left in the environment could make mlflow refuse to resume.
  delete env.MLFLOW_EXPERIMENT_NAME;
  for (const name of TRACKING_VARIABLES) delete env[name];
  const inherited = env.PYTHONPATH;
  Object.assign(env, recorder.trackingEnv(), {
    MLFLOW_RUN_ID: run.runId,
    MLFLOW_EXPERIMENT_ID: run.experimentId,
    PYTHONPATH: inherited
      ? `${options.pythonModuleDir}${path.delimiter}${inherited}`
      : options.pythonModuleDir,
    // Unbuffered, so the terminal shows progress live and stdout and stderr keep their order.
    PYTHONUNBUFFERED: '1',
  });
  if (options.model) {
    env.MODEL_URI = options.model.uri;
    env.MODEL_PATH = options.model.path;
  }
  if (plan.kind !== 'evaluate') {
    delete env.MODEL_URI;
    delete env.MODEL_PATH;
  }
  return env;
}

/** Runs the process, passing its output on live and keeping it (its tail) for stdout.txt. */
async function captured(
  plan: LaunchPlan,
  runner: ProcessRunner,
  env: NodeJS.ProcessEnv,
  options: RecordedOptions,
): Promise<{ exit: ProcessExit; durationMs: number; output: string }> {
  const started = performance.now();
  const output = new OutputTail(options.outputCap);
  const exit = await runProcess(plan, runner, env, {
    onOutput: (text) => {
      output.append(text);
      options.onOutput?.(text);
    },
    signal: options.signal,
  });
  const durationMs = performance.now() - started;
  if (exit.error) output.append(`\n${startFailure(plan, exit.error)}\n`);
  return { exit, durationMs, output: output.text() };
}

async function runProcess(
  plan: LaunchPlan,
  runner: ProcessRunner,
  env: NodeJS.ProcessEnv,
  hooks: { onOutput: (text: string) => void; signal?: AbortSignal },
): Promise<ProcessExit> {
  if (hooks.signal?.aborted) return { code: null, signal: 'SIGTERM' };
  let running;
  try {
    running = runner({ argv: plan.argv, cwd: plan.cwd, env }, hooks.onOutput);
  } catch (error) {
    // Some platforms throw from spawn itself (EACCES, a bad cwd) instead of emitting 'error'.
    return { code: null, error: error as NodeJS.ErrnoException };
  }
  const kill = () => running.kill();
  hooks.signal?.addEventListener('abort', kill, { once: true });
  try {
    return await running.exit;
  } finally {
    hooks.signal?.removeEventListener('abort', kill);
  }
}

function startFailure(plan: LaunchPlan, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') {
    return `Model Factory could not start ${plan.argv[0]}: no such program. Choose a Python interpreter, or set modelFactory.python.path.`;
  }
  return `Model Factory could not start ${plan.argv[0]}: ${error.message}`;
}

/** Ends the run from the exit, unless the script already ended it as it saw fit. */
async function finishRun(
  recorder: RunRecorder,
  run: RecordedRun,
  exit: ProcessExit,
  aborted: boolean,
): Promise<RunStatus> {
  const killed = aborted || (exit.signal !== undefined && !exit.error);
  const status: RunStatus = killed ? 'KILLED' : exit.code === 0 ? 'FINISHED' : 'FAILED';
  const exitCode = exit.code ?? undefined;
  try {
    return await recorder.endRun(run, { status, endTime: Date.now(), exitCode });
  } catch (error) {
    const how = exit.error
      ? 'did not start'
      : killed
        ? 'was terminated'
        : `exited with code ${exit.code}`;
    const where = recorder.kind === 'remote' ? 'on' : 'in';
    throw new LaunchRecordError(
      `the process ${how}, but the end of run ${run.runId} could not be recorded ${where} ` +
        `${recorder.destination}, where it stays RUNNING: ${(error as Error).message}`,
      error,
    );
  }
}

/** The launch ran, but its run's end did not reach where the run is recorded. */
export class LaunchRecordError extends Error {
  override readonly name = 'LaunchRecordError';
  /** A code, so the CLI prints the message as one line without a stack. */
  readonly code = 'RUN_END_NOT_RECORDED';

  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}
