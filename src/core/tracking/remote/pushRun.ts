import type { Metric, Run, Tag } from '../../store/entities';
import type { RunStore } from '../../store/store';
import { Limits } from '../../store/validation';
import { filterString } from './api/caller';
import { pushArtifacts } from './artifactSync';
import type { MlflowClient } from './client';
import { isAmbiguous } from './errors';
import { MetricUploader, missingPoints, remoteHistory, sendParamsAndTags } from './metricSync';
import {
  inputKey,
  PARENT_RUN_TAG,
  SOURCE_RUN_TAG,
  statusToCopy,
  tagValue,
  type RunState,
  type Tally,
} from './transfer';

/** A local run and its copy on the remote. */
export interface RunLink {
  remoteRunId: string;
  remoteArtifactUri: string;
}

export interface PushContext {
  store: RunStore;
  remote: MlflowClient;
  tally: Tally;
  /** Local run id → its remote copy, filled as runs are pushed. */
  runs: Map<string, RunLink>;
}

/**
 * Pushes one run: finds its copy on the remote (a run of the same id, when the local run was
 * pulled from there, else the run tagged with its id), creates one if there is none, then sends
 * what the copy lacks: params, tags, metric points, dataset inputs and artifacts, and last its
 * status, so a copy that is still RUNNING on the remote has not been pushed whole.
 */
export async function pushRun(
  context: PushContext,
  local: Run,
  remoteExperimentId: string,
): Promise<RunState> {
  const { remote, tally } = context;
  const found = await findRemoteCopy(remote, local.info.runId, remoteExperimentId);
  if (found?.info.lifecycleStage === 'deleted') {
    tally.warn(
      `run ${local.info.runId}: its copy ${found.info.runId} is deleted on ${remote.url}; left alone`,
    );
    return 'skipped';
  }
  const remoteRun = found ?? (await createCopy(remote, local, remoteExperimentId));
  await findParentCopy(context, local, remoteExperimentId);
  const remoteRunId = remoteRun.info.runId;
  context.runs.set(local.info.runId, {
    remoteRunId,
    remoteArtifactUri: remoteRun.info.artifactUri,
  });

  const before = { ...tally.summary };
  await sendParamsAndTagsOf(context, local, remoteRun);
  await sendMetrics(context, local, remoteRun);
  await sendInputs(context, local, remoteRun);
  tally.add(await pushArtifacts(tally, context.store, local, remote, remoteRun));
  const statusChanged = await sendStatus(context, local, remoteRun);

  if (!found) return 'created';
  const changed = (['params', 'tags', 'metricPoints', 'inputs', 'artifacts'] as const).some(
    (key) => tally.summary[key] !== before[key],
  );
  return changed || statusChanged ? 'updated' : 'unchanged';
}

/** A parent pushed before, outside this push, so the nested run can name its copy. */
async function findParentCopy(context: PushContext, local: Run, remoteExperimentId: string) {
  const parentId = tagValue(local.data.tags, PARENT_RUN_TAG);
  if (!parentId || context.runs.has(parentId) || !/^[0-9a-f]{32}$/.test(parentId)) return;
  const copy = await findRemoteCopy(context.remote, parentId, remoteExperimentId);
  if (copy) {
    context.runs.set(parentId, {
      remoteRunId: copy.info.runId,
      remoteArtifactUri: copy.info.artifactUri,
    });
  }
}

/** The remote copy of a local run: the same id (a pulled run), or tagged with its id. */
export async function findRemoteCopy(
  remote: MlflowClient,
  localRunId: string,
  remoteExperimentId: string,
): Promise<Run | undefined> {
  const same = await remote.runs.find(localRunId);
  if (same) return same;
  const page = await remote.runs.search({
    experimentIds: [remoteExperimentId],
    filter: `tags.\`${SOURCE_RUN_TAG}\` = ${filterString(localRunId)}`,
    viewType: 'ALL',
    maxResults: 10,
  });
  return page.items.find((run) => run.info.lifecycleStage === 'active') ?? page.items[0];
}

/**
 * Creates the remote copy, tagged with the local run's id from the start. runs/create is not
 * idempotent, so when its outcome is unknown the tag is searched for before creating again.
 */
async function createCopy(remote: MlflowClient, local: Run, experimentId: string): Promise<Run> {
  const identity: Tag[] = [{ key: SOURCE_RUN_TAG, value: local.info.runId }];
  for (const key of ['mlflow.runName', 'mlflow.user']) {
    const value = tagValue(local.data.tags, key);
    if (value !== undefined) identity.push({ key, value });
  }
  const request = {
    experimentId,
    runName: local.info.runName,
    startTime: local.info.startTime,
    tags: identity,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await remote.runs.create(request);
    } catch (error) {
      if (!isAmbiguous(error) || attempt === 3) throw error;
      const created = await findRemoteCopy(remote, local.info.runId, experimentId);
      if (created) return created;
    }
  }
}

async function sendParamsAndTagsOf(context: PushContext, local: Run, remoteRun: Run) {
  const { tally } = context;
  const runId = local.info.runId;
  const theirs = new Map(remoteRun.data.params.map((p) => [p.key, p.value]));
  const params = local.data.params.filter((param) => {
    const value = theirs.get(param.key);
    if (value !== undefined && value !== param.value) {
      tally.warn(
        `run ${runId}: param ${param.key} is '${param.value}' here and '${value}' on the remote, ` +
          'which MLflow never changes; the remote keeps its value',
      );
    }
    return value === undefined && fits(tally, runId, 'param', param, Limits.paramValueLength);
  });
  const theirTags = new Map(remoteRun.data.tags.map((t) => [t.key, t.value]));
  const tags = localTags(context, local).filter(
    (tag) =>
      theirTags.get(tag.key) !== tag.value &&
      fits(tally, runId, 'tag', tag, Limits.runTagValueLength),
  );
  await sendParamsAndTags(context.remote, remoteRun.info.runId, params, tags);
  tally.add({ params: params.length, tags: tags.length });
}

/** MLflow refuses values past its limits; such a value is left out, with a warning. */
function fits(tally: Tally, runId: string, kind: string, tag: Tag, limit: number): boolean {
  if (tag.value.length <= limit) return true;
  tally.warn(
    `run ${runId}: ${kind} ${tag.key} holds ${tag.value.length} characters, past MLflow's ` +
      `limit of ${limit}; not pushed`,
  );
  return false;
}

/** The tags to copy: not our own source tag, and a parent named by its remote copy's id. */
function localTags(context: PushContext, local: Run): Tag[] {
  return local.data.tags
    .filter((tag) => tag.key !== SOURCE_RUN_TAG)
    .map((tag) => {
      if (tag.key !== PARENT_RUN_TAG) return tag;
      const parent = context.runs.get(tag.value)?.remoteRunId;
      return parent ? { key: tag.key, value: parent } : tag;
    });
}

async function sendMetrics(context: PushContext, local: Run, remoteRun: Run): Promise<void> {
  const { remote, store, tally } = context;
  const remoteRunId = remoteRun.info.runId;
  const latest = new Map(remoteRun.data.metrics.map((m) => [m.key, m]));
  const uploader = new MetricUploader(remote, remoteRunId, (points) =>
    tally.add({ metricPoints: points }),
  );
  for (const { key } of local.data.metrics) {
    const history = localHistory(store, local.info.runId, key);
    const missing = await missingPoints(history, latest.get(key), () =>
      remoteHistory(remote, remoteRunId, key),
    );
    await uploader.add(missing);
  }
  await uploader.flush();
}

/** A metric's whole local history, in MLflow's order (step, timestamp, value). */
export function localHistory(store: RunStore, runId: string, key: string): Metric[] {
  const points: Metric[] = [];
  let pageToken: string | undefined;
  do {
    const page = store.getMetricHistory({
      runId,
      metricKey: key,
      maxResults: 1_000_000,
      pageToken,
    });
    for (const point of page.items) points.push(point);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return points;
}

async function sendInputs(context: PushContext, local: Run, remoteRun: Run): Promise<void> {
  const theirs = new Set(remoteRun.inputs.datasetInputs.map(inputKey));
  const missing = local.inputs.datasetInputs.filter((input) => !theirs.has(inputKey(input)));
  for (let start = 0; start < missing.length; start += 10) {
    await context.remote.runs.logInputs(remoteRun.info.runId, missing.slice(start, start + 10));
  }
  context.tally.add({ inputs: missing.length });
}

/** Status, end time and name, when they differ; true when something was sent. */
async function sendStatus(context: PushContext, local: Run, remoteRun: Run): Promise<boolean> {
  const status = statusToCopy(remoteRun.info.status, local.info.status);
  const endTime =
    local.info.endTime !== null && local.info.endTime !== remoteRun.info.endTime
      ? local.info.endTime
      : undefined;
  const runName =
    local.info.runName && local.info.runName !== remoteRun.info.runName
      ? local.info.runName
      : undefined;
  if (!status && endTime === undefined && runName === undefined) return false;
  await context.remote.runs.update(remoteRun.info.runId, { status, endTime, runName });
  return true;
}
