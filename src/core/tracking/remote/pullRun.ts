import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment, Metric, Run, Tag } from '../../store/entities';
import type { RunStore } from '../../store/store';
import { storeArtifactDir, storeArtifactUri } from '../import/artifacts';
import { runExists } from '../import/runs';
import { installArtifacts, localArtifacts, stageArtifacts } from './artifactSync';
import type { MlflowClient } from './client';
import { remoteHistory } from './metricSync';
import { placeExperiment, updateRun, writeNewRun, type RunChange } from './pullWrite';
import { localHistory } from './pushRun';
import {
  inputKey,
  PARENT_RUN_TAG,
  pointKey,
  SOURCE_RUN_TAG,
  statusToCopy,
  tagValue,
  type RunState,
  type Tally,
} from './transfer';

/** A remote run and its local copy. */
export interface PullLink {
  localRunId: string;
  localArtifactUri: string;
  remoteArtifactUri: string;
}

export interface PullContext {
  store: RunStore;
  remote: MlflowClient;
  tally: Tally;
  /** Remote run id → its local copy, filled as runs are pulled. */
  runs: Map<string, PullLink>;
  signal?: AbortSignal;
}

/**
 * Pulls one run. Its local copy keeps the remote run's id, except for a run that was pushed from
 * this store (its modelfactory.source_run_id names a local run), which is merged back into the
 * run it came from rather than copied beside it. Everything is fetched first, artifacts into a
 * staging folder; only then is the run written, in one transaction.
 */
export async function pullRun(
  context: PullContext,
  remoteRun: Run,
  experiment: Experiment,
): Promise<RunState> {
  const { store, tally } = context;
  const localId = localCopyOf(store, remoteRun);
  const local = localId ? store.getRun(localId) : undefined;
  if (local?.info.lifecycleStage === 'deleted') {
    tally.warn(`run ${remoteRun.info.runId}: its local copy ${localId} is deleted; left alone`);
    return 'skipped';
  }

  const tags = await tagsToCopy(context, remoteRun, local);
  const metrics = await missingMetrics(context, remoteRun, local);
  const staging = await fs.promises.mkdtemp(path.join(store.dir, '.mf-pull-'));
  try {
    const have = new Map(
      (local ? (localArtifacts(store, local.info.artifactUri)?.files ?? []) : []).map((f) => [
        f.path,
        f.size,
      ]),
    );
    const staged = await stageArtifacts(tally, context.remote, remoteRun, have, staging);
    context.signal?.throwIfAborted();
    if (!local) return await writeNew(context, remoteRun, experiment, { tags, metrics }, staged);
    return await update(context, remoteRun, local, { tags, metrics }, staged);
  } finally {
    await fs.promises.rm(staging, { recursive: true, force: true });
  }
}

/** The local run a remote run is a copy of, or from: by the source tag, then by its own id. */
function localCopyOf(store: RunStore, remoteRun: Run): string | undefined {
  const source = tagValue(remoteRun.data.tags, SOURCE_RUN_TAG);
  if (source && runExists(store.db, source)) return source;
  return runExists(store.db, remoteRun.info.runId) ? remoteRun.info.runId : undefined;
}

/**
 * The remote tags, with the parent named by its local copy's id. Merged back into the run it was
 * pushed from, the copy's source tag (which names that run) is left out.
 */
async function tagsToCopy(context: PullContext, remoteRun: Run, local: Run | undefined) {
  const origin = local !== undefined && local.info.runId !== remoteRun.info.runId;
  const tags: Tag[] = [];
  for (const tag of remoteRun.data.tags) {
    if (origin && tag.key === SOURCE_RUN_TAG) continue;
    if (tag.key === PARENT_RUN_TAG)
      tags.push({ key: tag.key, value: await localParent(context, tag.value) });
    else tags.push(tag);
  }
  return tags;
}

async function localParent(context: PullContext, remoteParentId: string): Promise<string> {
  const pulled = context.runs.get(remoteParentId);
  if (pulled) return pulled.localRunId;
  if (runExists(context.store.db, remoteParentId)) return remoteParentId;
  const parent = await context.remote.runs.find(remoteParentId).catch(() => undefined);
  const source = parent && tagValue(parent.data.tags, SOURCE_RUN_TAG);
  return source && runExists(context.store.db, source) ? source : remoteParentId;
}

/**
 * The points each remote metric has that the local copy lacks. A metric whose latest point is the
 * same on both sides is taken as copied already (see missingPoints) and not fetched at all.
 */
async function missingMetrics(context: PullContext, remoteRun: Run, local: Run | undefined) {
  const missing = new Map<string, Metric[]>();
  const localLatest = new Map((local?.data.metrics ?? []).map((m) => [m.key, m]));
  for (const latest of remoteRun.data.metrics) {
    const ours = localLatest.get(latest.key);
    if (ours && pointKey(ours) === pointKey(latest)) continue;
    const points = await remoteHistory(context.remote, remoteRun.info.runId, latest.key);
    if (!local || !ours) {
      missing.set(latest.key, points);
      continue;
    }
    const present = new Set(
      localHistory(context.store, local.info.runId, latest.key).map(pointKey),
    );
    const lacking = points.filter((point) => !present.has(pointKey(point)));
    if (lacking.length > 0) missing.set(latest.key, lacking);
  }
  return missing;
}

type Content = { tags: Tag[]; metrics: Map<string, Metric[]> };
type Staged = Awaited<ReturnType<typeof stageArtifacts>>;

async function writeNew(
  context: PullContext,
  remoteRun: Run,
  experiment: Experiment,
  content: Content,
  staged: Staged,
): Promise<RunState> {
  const { store, tally } = context;
  const runId = remoteRun.info.runId;
  const placement = placeExperiment(store, experiment, remoteRun);
  if (placement.created) {
    tally.add({ experiments: 1 });
    store.notify({ kind: 'experiment', experimentId: String(placement.experimentId) });
  }
  // Artifacts the remote serves move into the store; a run whose artifacts sit elsewhere (s3://)
  // keeps pointing there.
  const artifactUri = staged
    ? storeArtifactUri(placement.experimentId, runId)
    : remoteRun.info.artifactUri;
  const runDir = storeArtifactDir(store.artifactsDir, placement.experimentId, runId);
  if (staged) await installArtifacts(staged, runDir);
  try {
    writeNewRun(store, remoteRun, content, placement, artifactUri, tally.logger);
  } catch (error) {
    if (staged) await fs.promises.rm(runDir, { recursive: true, force: true });
    throw error;
  }

  store.notify({ kind: 'run', runId, experimentId: String(placement.experimentId) });
  link(context, remoteRun, runId, artifactUri);
  tally.add({
    metricPoints: count(content.metrics),
    params: remoteRun.data.params.length,
    tags: content.tags.length,
    inputs: remoteRun.inputs.datasetInputs.length,
    artifacts: staged?.files.length ?? 0,
    artifactBytes: staged?.bytes ?? 0,
  });
  return 'created';
}

async function update(
  context: PullContext,
  remoteRun: Run,
  local: Run,
  content: Content,
  staged: Staged,
): Promise<RunState> {
  const { store, tally } = context;
  const runId = local.info.runId;
  const change = changeFor(tally, remoteRun, local, content);

  const runDir = localArtifacts(store, local.info.artifactUri)?.dir;
  if (staged && runDir) await installArtifacts(staged, runDir);
  else if (staged && staged.files.length > 0) {
    tally.warn(
      `run ${runId}: its artifacts live at ${local.info.artifactUri}, outside the store; none pulled`,
    );
  }
  const { params, tags, metrics, inputs } = change;
  const items = params.length + tags.length + metrics.length + inputs.length;
  if (items > 0 || change.status || change.endTime !== undefined) {
    updateRun(store, runId, change);
    store.notify({ kind: 'run', runId, experimentId: local.info.experimentId });
  }

  link(context, remoteRun, runId, local.info.artifactUri);
  const files = runDir && staged ? staged.files.length : 0;
  tally.add({
    metricPoints: metrics.length,
    params: params.length,
    tags: tags.length,
    inputs: inputs.length,
    artifacts: files,
    artifactBytes: runDir && staged ? staged.bytes : 0,
  });
  return items > 0 || files > 0 || change.status ? 'updated' : 'unchanged';
}

/**
 * What the local run lacks of the remote one: new params (one that differs stays as it is here,
 * since MLflow never changes a param), tags that differ (the remote's win), inputs, points, and
 * a status that moves forward, with its end time.
 */
function changeFor(tally: Tally, remoteRun: Run, local: Run, content: Content): RunChange {
  const runId = local.info.runId;
  const ourParams = new Map(local.data.params.map((p) => [p.key, p.value]));
  const params = remoteRun.data.params.filter((param) => {
    const value = ourParams.get(param.key);
    if (value !== undefined && value !== param.value) {
      tally.warn(
        `run ${runId}: param ${param.key} is '${value}' here and '${param.value}' on the ` +
          `remote; kept '${value}'`,
      );
    }
    return value === undefined;
  });
  const ourTags = new Map(local.data.tags.map((t) => [t.key, t.value]));
  const ourInputs = new Set(local.inputs.datasetInputs.map(inputKey));
  const status = statusToCopy(local.info.status, remoteRun.info.status);
  const { endTime } = remoteRun.info;
  return {
    params,
    tags: content.tags.filter((tag) => ourTags.get(tag.key) !== tag.value),
    metrics: [...content.metrics.values()].flat(),
    inputs: remoteRun.inputs.datasetInputs.filter((input) => !ourInputs.has(inputKey(input))),
    status,
    endTime: status && endTime !== null && endTime !== local.info.endTime ? endTime : undefined,
  };
}

function link(context: PullContext, remoteRun: Run, localRunId: string, localArtifactUri: string) {
  context.runs.set(remoteRun.info.runId, {
    localRunId,
    localArtifactUri,
    remoteArtifactUri: remoteRun.info.artifactUri,
  });
}

function count(metrics: Map<string, Metric[]>): number {
  let total = 0;
  for (const points of metrics.values()) total += points.length;
  return total;
}
