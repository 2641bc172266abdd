import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger, type Logger } from '../log';
import type { RunStatus, Tag } from '../store/entities';
import type { RunStore } from '../store/store';
import { runArtifactLocation } from '../tracking/artifacts/listing';
import { recordEvaluation, type EvaluatedModel } from './launchEvaluate';
import { gitTags } from './launchGit';
import { OutputTail } from './launchOutput';
import { displayCommand, type LaunchPlan } from './launchPlan';
import type { ProcessExit, ProcessRunner } from './launchProcess';

/**
 * A tracked launch: the run exists in the store before the process starts, so a script that
 * crashes on its first line still leaves a FAILED run with its output, and the script logs into
 * that run through MLFLOW_RUN_ID instead of starting one of its own.
 */

export interface TrackedOptions {
  /** The experiment the user asked for by name (a task's `experiment`). */
  experiment?: string;
  /** The workspace's active experiment, used when none was asked for. */
  activeExperiment?: string;
  trackingUri: string;
  token?: string;
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
  onRunCreated?: (runId: string, experimentId: string) => void;
  /** Aborting terminates the process; the run then ends KILLED. */
  signal?: AbortSignal;
  outputCap?: number;
  logger?: Logger;
}

export interface LaunchOutcome {
  runId: string;
  experimentId: string;
  /** The run's status after the launch: what the script set, or what the exit implied. */
  status: RunStatus;
  exit: ProcessExit;
  durationMs: number;
}

export const EXIT_CODE_TAG = 'model_factory.exit_code';
export const KIND_TAG = 'model_factory.kind';
export const OUTPUT_ARTIFACT = 'stdout.txt';

export async function runTracked(
  store: RunStore,
  plan: LaunchPlan,
  runner: ProcessRunner,
  options: TrackedOptions,
): Promise<LaunchOutcome> {
  const logger = options.logger ?? silentLogger;
  const experimentId = experimentFor(store, plan, options);
  const tags = [...launchTags(plan, options), ...(await gitTags(plan.cwd))];
  const run = store.createRun({ experimentId, startTime: Date.now(), tags });
  const runId = run.info.runId;
  const params = Object.entries(plan.params).map(([key, value]) => ({ key, value }));
  if (params.length > 0) store.logBatch(runId, { params });
  options.onRunCreated?.(runId, experimentId);

  const started = performance.now();
  const output = new OutputTail(options.outputCap);
  const exit = await runProcess(plan, runner, processEnv(plan, options, runId, experimentId), {
    onOutput: (text) => {
      output.append(text);
      options.onOutput?.(text);
    },
    signal: options.signal,
  });
  const durationMs = performance.now() - started;
  if (exit.error) output.append(`\n${startFailure(plan, exit.error)}\n`);

  saveOutput(store, run.info.artifactUri, output.text());
  const status = finishRun(store, runId, exit, options.signal?.aborted ?? false);
  if (options.model && status === 'FINISHED') recordEvaluation(store, runId, options.model);

  const code = exit.error ? `not started (${exit.error.code})` : (exit.signal ?? exit.code);
  const seconds = (durationMs / 1000).toFixed(1);
  logger.info(
    `launch: ${displayCommand(plan.argv)} in ${plan.cwd}: exit ${code} after ${seconds} s, run ${runId} ${status}`,
  );
  return { runId, experimentId, status, exit, durationMs };
}

/** The asked-for experiment, else the active one, else the project's name, else Default. */
function experimentFor(store: RunStore, plan: LaunchPlan, options: TrackedOptions): string {
  const name = options.experiment || options.activeExperiment || plan.projectName;
  if (!name) return '0';
  try {
    return store.getExperimentByName(name).experimentId;
  } catch {
    return store.createExperiment(name);
  }
}

function launchTags(plan: LaunchPlan, options: TrackedOptions): Tag[] {
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
  options: TrackedOptions,
  runId: string,
  experimentId: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...(options.baseEnv ?? process.env) };
  // The run is chosen by id; a name left in the environment could make mlflow refuse to resume.
  delete env.MLFLOW_EXPERIMENT_NAME;
  delete env.MLFLOW_TRACKING_TOKEN;
  const inherited = env.PYTHONPATH;
  Object.assign(env, {
    MLFLOW_RUN_ID: runId,
    MLFLOW_TRACKING_URI: options.trackingUri,
    MLFLOW_EXPERIMENT_ID: experimentId,
    PYTHONPATH: inherited
      ? `${options.pythonModuleDir}${path.delimiter}${inherited}`
      : options.pythonModuleDir,
    // Unbuffered, so the terminal shows progress live and stdout and stderr keep their order.
    PYTHONUNBUFFERED: '1',
  });
  if (options.token) env.MLFLOW_TRACKING_TOKEN = options.token;
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

/** Writes the output where the run's artifacts live, so the tracking server lists it. */
function saveOutput(store: RunStore, artifactUri: string, text: string): void {
  const location = runArtifactLocation(store.artifactsDir, artifactUri);
  const dir = path.join(location.root, ...location.segments);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, OUTPUT_ARTIFACT), text);
}

/** Ends the run from the exit, unless the script already ended it as it saw fit. */
function finishRun(store: RunStore, runId: string, exit: ProcessExit, aborted: boolean): RunStatus {
  const current = store.getRun(runId).info.status;
  if (current !== 'RUNNING') return current;

  const killed = aborted || (exit.signal !== undefined && !exit.error);
  const status: RunStatus = killed ? 'KILLED' : exit.code === 0 ? 'FINISHED' : 'FAILED';
  if (status === 'FAILED' && exit.code !== null) {
    store.setTag(runId, { key: EXIT_CODE_TAG, value: String(exit.code) });
  }
  store.updateRun(runId, { status, endTime: Date.now() });
  return status;
}
