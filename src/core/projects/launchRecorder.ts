import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunStatus, Tag } from '../store/entities';
import type { RunStore } from '../store/store';
import { runArtifactLocation } from '../tracking/artifacts/listing';
import { recordEvaluation, type EvaluatedModel } from './launchEvaluate';

/**
 * Where a tracked launch records its run: the workspace store (storeRecorder) or a remote MLflow
 * tracking server (remoteRecorder in launchRemote.ts). The launcher does the same steps in the
 * same order for both, so a run looks alike wherever it lands.
 */
export interface RunRecorder {
  /** 'store' for a RunStore on this machine, 'remote' for an MLflow server. */
  readonly kind: 'store' | 'remote';
  /** Where the runs go, for messages: the store's folder, or the server's URL (no secrets). */
  readonly destination: string;
  /**
   * The variables that point the launched process at the run's tracking server, credentials
   * included. They go into the child's environment only: never into argv or a log line.
   */
  trackingEnv(): Record<string, string>;
  /** Creates the run, RUNNING, with its tags and params, in the experiment of that name. */
  createRun(request: RunRequest): Promise<RecordedRun>;
  /** Keeps the launch's output as the run's stdout.txt artifact. */
  saveOutput(run: RecordedRun, text: string): Promise<void>;
  /**
   * Ends the run with `end.status`, unless the script already ended it as it saw fit; a FAILED
   * end records the exit code as a tag. Resolves with the status the run has afterwards.
   */
  endRun(run: RecordedRun, end: RunEnd): Promise<RunStatus>;
  /** For an evaluation that finished: notes its metrics on the evaluated model version. */
  recordEvaluation?(run: RecordedRun, model: EvaluatedModel): Promise<void>;
  /** Lets go of connections; the recorder is not used afterwards. */
  close(): void;
}

export interface RunRequest {
  /** The experiment's name; undefined means MLflow's Default experiment (id 0). */
  experimentName?: string;
  startTime: number;
  tags: Tag[];
  params: Tag[];
}

export interface RecordedRun {
  runId: string;
  experimentId: string;
  experimentName: string;
  artifactUri: string;
}

export interface RunEnd {
  status: RunStatus;
  endTime: number;
  /** The process's exit code, recorded as a tag when the run ends FAILED. */
  exitCode?: number;
}

export const EXIT_CODE_TAG = 'model_factory.exit_code';
export const OUTPUT_ARTIFACT = 'stdout.txt';

/** Where the launched process logs: the store's own tracking server and its token. */
export interface StoreEndpoint {
  trackingUri: string;
  token?: string;
}

/**
 * The workspace store. Its calls are synchronous (sql.js in this process); the script logs
 * through the tracking server the caller started over the same store.
 */
export function storeRecorder(store: RunStore, endpoint: StoreEndpoint): RunRecorder {
  return {
    kind: 'store',
    destination: store.dir,
    trackingEnv: () => ({
      MLFLOW_TRACKING_URI: endpoint.trackingUri,
      ...(endpoint.token ? { MLFLOW_TRACKING_TOKEN: endpoint.token } : {}),
    }),
    createRun: async (request) => createInStore(store, request),
    saveOutput: async (run, text) => saveInStore(store, run.artifactUri, text),
    endRun: async (run, end) => endInStore(store, run.runId, end),
    recordEvaluation: async (run, model) => recordEvaluation(store, run.runId, model),
    close: () => undefined,
  };
}

function createInStore(store: RunStore, request: RunRequest): RecordedRun {
  const experimentId = storeExperiment(store, request.experimentName);
  const { info } = store.createRun({
    experimentId,
    startTime: request.startTime,
    tags: request.tags,
  });
  if (request.params.length > 0) store.logBatch(info.runId, { params: request.params });
  return {
    runId: info.runId,
    experimentId,
    experimentName: store.getExperiment(experimentId).name,
    artifactUri: info.artifactUri,
  };
}

function storeExperiment(store: RunStore, name: string | undefined): string {
  if (!name) return '0';
  try {
    return store.getExperimentByName(name).experimentId;
  } catch {
    return store.createExperiment(name);
  }
}

/** Writes the output where the run's artifacts live, so the tracking server lists it. */
function saveInStore(store: RunStore, artifactUri: string, text: string): void {
  const location = runArtifactLocation(store.artifactsDir, artifactUri);
  const dir = path.join(location.root, ...location.segments);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, OUTPUT_ARTIFACT), text);
}

function endInStore(store: RunStore, runId: string, end: RunEnd): RunStatus {
  const current = store.getRun(runId).info.status;
  if (current !== 'RUNNING') return current;

  if (end.status === 'FAILED' && end.exitCode !== undefined) {
    store.setTag(runId, { key: EXIT_CODE_TAG, value: String(end.exitCode) });
  }
  store.updateRun(runId, { status: end.status, endTime: end.endTime });
  return end.status;
}
