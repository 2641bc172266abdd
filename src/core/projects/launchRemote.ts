import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../log';
import type { RunStatus, Tag } from '../store/entities';
import { MlflowClient } from '../tracking/remote/client';
import { filterString } from '../tracking/remote/api/caller';
import { proxiedArtifactPath } from '../tracking/remote/api/artifacts';
import type { LogBatch } from '../tracking/remote/api/tracking';
import { parseServerUrl } from '../tracking/remote/connection';
import { isAmbiguous, isRemoteError, RemoteError } from '../tracking/remote/errors';
import {
  EXIT_CODE_TAG,
  OUTPUT_ARTIFACT,
  type RecordedRun,
  type RunEnd,
  type RunRecorder,
  type RunRequest,
} from './launchRecorder';

/** A remote MLflow tracking server and what to authenticate with, as MLflow's client reads it. */
export interface RemoteTarget {
  /** The server's URL; a user name and password in it become basic authentication. */
  url: string;
  token?: string;
  username?: string;
  password?: string;
  /** A PEM file of extra certificate authorities for https. */
  caFile?: string;
}

export interface RemoteRecorderOptions {
  logger?: Logger;
  /** How often a failed call is retried (the client's default unless given; tests lower it). */
  retries?: number;
  retryDelayMs?: number;
}

/**
 * Tags the run carries so that a runs/create whose answer was lost can be found again instead
 * of made twice (a second, empty run would stay RUNNING on the server).
 */
export const LAUNCH_ID_TAG = 'model_factory.launch_id';

/** MLflow's log-batch limits: 100 params, 100 tags, 1000 items and 1 MB per request. */
const BATCH_PARAMS = 100;
const BATCH_TAGS = 100;
const BATCH_BYTES = 900_000;

/**
 * Records launches on a remote MLflow server over its REST API: the run is created in the named
 * experiment (made if missing), params and tags go in log-batch requests within MLflow's limits,
 * the output is uploaded through the proxied artifact store, and runs/update ends the run.
 */
export function remoteRecorder(
  target: RemoteTarget,
  options: RemoteRecorderOptions = {},
): RunRecorder {
  const parsed = parseServerUrl(target.url);
  const username = target.username ?? parsed.username;
  const password = target.password ?? parsed.password;
  const client = new MlflowClient({
    url: target.url,
    token: target.token,
    username,
    password,
    caFile: target.caFile,
    logger: options.logger,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
  });
  const env: Record<string, string> = { MLFLOW_TRACKING_URI: parsed.display };
  if (target.token) env.MLFLOW_TRACKING_TOKEN = target.token;
  if (username !== undefined && password !== undefined) {
    env.MLFLOW_TRACKING_USERNAME = username;
    env.MLFLOW_TRACKING_PASSWORD = password;
  }
  if (target.caFile) env.MLFLOW_TRACKING_SERVER_CERT_PATH = target.caFile;

  return {
    kind: 'remote',
    destination: client.url,
    trackingEnv: () => ({ ...env }),
    createRun: (request) => createRemote(client, request),
    saveOutput: (run, text) => uploadOutput(client, run, text),
    endRun: (run, end) => endRemote(client, run, end),
    close: () => client.close(),
  };
}

async function createRemote(client: MlflowClient, request: RunRequest): Promise<RecordedRun> {
  const experiment = await remoteExperiment(client, request.experimentName);
  const launchId = randomUUID().replaceAll('-', '');
  const tags = [...request.tags, { key: LAUNCH_ID_TAG, value: launchId }];
  const first = tags.slice(0, BATCH_TAGS);
  const run = await createOnce(client, experiment.id, request.startTime, first, launchId);
  const recorded = {
    runId: run.runId,
    experimentId: experiment.id,
    experimentName: experiment.name,
    artifactUri: run.artifactUri,
  };
  try {
    for (const batch of logBatches(request.params, tags.slice(BATCH_TAGS))) {
      await client.runs.logBatch(recorded.runId, batch);
    }
  } catch (error) {
    // The process never starts, so the run must not stay RUNNING as if it were under way.
    await client.runs
      .update(recorded.runId, { status: 'FAILED', endTime: Date.now() })
      .catch(() => undefined);
    throw error;
  }
  return recorded;
}

/** The experiment of that name, made when missing; Default (id 0) when no name is given. */
async function remoteExperiment(
  client: MlflowClient,
  name: string | undefined,
): Promise<{ id: string; name: string }> {
  if (!name) return { id: '0', name: 'Default' };
  const found = await client.experiments.getByName(name);
  if (found) {
    if (found.lifecycleStage === 'deleted') {
      throw new RemoteError(
        `the experiment '${name}' is deleted on ${client.url}: restore it there, or launch ` +
          'into another experiment',
        { kind: 'api', errorCode: 'INVALID_STATE' },
      );
    }
    return { id: found.experimentId, name };
  }
  try {
    return { id: await client.experiments.create(name), name };
  } catch (error) {
    // Another launch made it meanwhile, or our create landed but its answer was lost.
    if (!isRemoteError(error, 'RESOURCE_ALREADY_EXISTS') && !isAmbiguous(error)) throw error;
    const made = await client.experiments.getByName(name);
    if (!made) throw error;
    return { id: made.experimentId, name };
  }
}

/**
 * runs/create is not repeated blindly: when its answer was lost, the run is looked up by its
 * launch id first, and made again only if the server never made it.
 */
async function createOnce(
  client: MlflowClient,
  experimentId: string,
  startTime: number,
  tags: Tag[],
  launchId: string,
): Promise<{ runId: string; artifactUri: string }> {
  const create = () => client.runs.create({ experimentId, startTime, tags });
  let run;
  try {
    run = await create();
  } catch (error) {
    if (!isAmbiguous(error)) throw error;
    const filter = `tags.${LAUNCH_ID_TAG} = ${filterString(launchId)}`;
    const page = await client.runs.search({ experimentIds: [experimentId], filter });
    run = page.items[0] ?? (await create());
  }
  return { runId: run.info.runId, artifactUri: run.info.artifactUri };
}

/**
 * Params and tags in as few log-batch requests as MLflow's limits allow: at most 100 of each,
 * and well under 1 MB, per request (a long value counts for what it weighs).
 */
export function logBatches(params: Tag[], tags: Tag[]): LogBatch[] {
  const batches: LogBatch[] = [];
  let current = { params: [] as Tag[], tags: [] as Tag[], bytes: 0 };
  const add = (field: 'params' | 'tags', item: Tag, limit: number) => {
    const bytes = Buffer.byteLength(item.key) + Buffer.byteLength(item.value) + 32;
    if (current[field].length >= limit || current.bytes + bytes > BATCH_BYTES) {
      batches.push({ params: current.params, tags: current.tags });
      current = { params: [], tags: [], bytes: 0 };
    }
    current[field].push(item);
    current.bytes += bytes;
  };
  for (const param of params) add('params', param, BATCH_PARAMS);
  for (const tag of tags) add('tags', tag, BATCH_TAGS);
  if (current.params.length + current.tags.length > 0) {
    batches.push({ params: current.params, tags: current.tags });
  }
  return batches;
}

/** Uploads the output through mlflow-artifacts; a PUT replaces, so a retry is harmless. */
async function uploadOutput(client: MlflowClient, run: RecordedRun, text: string): Promise<void> {
  const root = proxiedArtifactPath(run.artifactUri);
  if (root === undefined) {
    throw new Error(
      `the run's artifacts live at ${run.artifactUri}, which ${client.url} does not serve ` +
        'through its artifact proxy (mlflow server --serve-artifacts), so stdout.txt was not kept',
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mf-launch-output-'));
  try {
    const file = path.join(dir, OUTPUT_ARTIFACT);
    await writeFile(file, text);
    await client.artifacts.upload(`${root}/${OUTPUT_ARTIFACT}`, file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function endRemote(client: MlflowClient, run: RecordedRun, end: RunEnd): Promise<RunStatus> {
  const current = (await client.runs.get(run.runId)).info.status;
  if (current !== 'RUNNING') return current;

  if (end.status === 'FAILED' && end.exitCode !== undefined) {
    await client.runs.setTag(run.runId, { key: EXIT_CODE_TAG, value: String(end.exitCode) });
  }
  await client.runs.update(run.runId, { status: end.status, endTime: end.endTime });
  return end.status;
}
