import type { Experiment, Run } from '../../store/entities';
import { ErrorCode, invalid, MlflowError } from '../../store/errors';
import type { RunStore } from '../../store/store';
import type { MlflowClient } from './client';
import { isAmbiguous, isRemoteError, RemoteError } from './errors';
import { pushRegistry } from './pushRegistry';
import { pushRun, type PushContext } from './pushRun';
import {
  parentsFirst,
  STATE_COUNT,
  Tally,
  TransferError,
  type TransferOptions,
  type TransferSummary,
} from './transfer';

export interface PushOptions extends TransferOptions {
  /** Only this local experiment (by name), with all its active runs. */
  experiment?: string;
  /** Only this local run. */
  runId?: string;
  /** Registered models too: their versions whose runs are pushed, and aliases. */
  models?: boolean;
  /**
   * Only this local model version, with its source run and the aliases that point at it; the
   * model is created on the remote when missing. Not combined with `experiment` or `runId`.
   */
  version?: { name: string; version: string };
}

/**
 * Copies local experiments, runs (params, tags, whole metric histories, dataset inputs,
 * artifacts) and, with `models`, the registry to a remote MLflow tracking server.
 *
 * Idempotent: each remote copy of a run carries the tag modelfactory.source_run_id (a run pulled
 * from the remote is found by its own id instead), so pushing again updates the copy and sends
 * only what it lacks. Experiments and models are matched by name. Resumable: a push that fails
 * or is cancelled leaves whole batches on the remote, and the next push finishes each run (a copy
 * stays RUNNING on the remote until its last step, the status, is sent).
 *
 * Input errors (no such run or experiment) are thrown before anything is sent; a failure while
 * pushing is a TransferError that carries the counts of what was pushed before it.
 */
export async function pushToRemote(
  store: RunStore,
  client: MlflowClient,
  options: PushOptions = {},
): Promise<TransferSummary> {
  const selection = selectLocal(store, options);
  const remote = client.withSignal(options.signal);
  await remote.checkServer();

  const tally = new Tally('push', options);
  const context: PushContext = { store, remote, tally, runs: new Map() };
  try {
    await pushRuns(context, selection);
    if (options.version) await pushRegistry(context, false, options.version);
    else if (options.models) await pushRegistry(context, !options.experiment && !options.runId);
  } catch (error) {
    throw new TransferError('push', error, { ...tally.summary }, tally.current);
  }
  return tally.summary;
}

interface Selection {
  experiments: Experiment[];
  runs: Run[];
}

function selectLocal(store: RunStore, options: PushOptions): Selection {
  if (options.version) return selectVersion(store, options);
  if (options.runId) {
    const run = store.getRun(options.runId);
    if (run.info.lifecycleStage === 'deleted') {
      throw invalid(`the run ${options.runId} is deleted; restore it to push it`);
    }
    const experiment = store.getExperiment(run.info.experimentId);
    if (options.experiment !== undefined && experiment.name !== options.experiment) {
      throw invalid(
        `the run ${options.runId} is in the experiment '${experiment.name}', not '${options.experiment}'`,
      );
    }
    return { experiments: [experiment], runs: [run] };
  }

  const experiments =
    options.experiment !== undefined
      ? [store.getExperimentByName(options.experiment)]
      : activeExperiments(store);
  for (const experiment of experiments) {
    if (experiment.lifecycleStage === 'deleted') {
      throw invalid(`the experiment '${experiment.name}' is deleted; restore it to push it`);
    }
  }
  return { experiments, runs: experiments.flatMap((e) => activeRuns(store, e.experimentId)) };
}

/**
 * A version's source run, which must be pushed first for the copy to point at it. A version
 * without a run, or whose run this store lacks (imported from a registry alone), is pushed on its
 * own with its source unchanged.
 */
function selectVersion(store: RunStore, options: PushOptions): Selection {
  const { name, version } = options.version!;
  if (options.experiment !== undefined || options.runId) {
    throw invalid('push a model version on its own, without an experiment or a run');
  }
  const { runId } = store.getModelVersion(name, version);
  const run = runId ? findRun(store, runId) : undefined;
  if (!run) return { experiments: [], runs: [] };
  if (run.info.lifecycleStage === 'deleted') {
    throw invalid(
      `the run ${runId} of ${name} version ${version} is deleted; restore it to push the version`,
    );
  }
  return { experiments: [store.getExperiment(run.info.experimentId)], runs: [run] };
}

/** The run, or undefined when the store does not hold it (a version imported without it). */
function findRun(store: RunStore, runId: string): Run | undefined {
  try {
    return store.getRun(runId);
  } catch (error) {
    if (error instanceof MlflowError && error.code === ErrorCode.resourceDoesNotExist) {
      return undefined;
    }
    throw error;
  }
}

function activeExperiments(store: RunStore): Experiment[] {
  const experiments: Experiment[] = [];
  let pageToken: string | undefined;
  do {
    const page = store.searchExperiments({ viewType: 'ACTIVE_ONLY', maxResults: 1000, pageToken });
    experiments.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return experiments;
}

function activeRuns(store: RunStore, experimentId: string): Run[] {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = store.searchRuns({
      experimentIds: [experimentId],
      viewType: 'ACTIVE_ONLY',
      maxResults: 1000,
      orderBy: ['attributes.start_time ASC'],
      pageToken,
    });
    runs.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return runs;
}

async function pushRuns(context: PushContext, selection: Selection): Promise<void> {
  const { tally } = context;
  const experimentIds = new Map<string, string>();
  for (const experiment of selection.experiments) {
    experimentIds.set(experiment.experimentId, await ensureExperiment(context, experiment));
  }

  const runs = parentsFirst(selection.runs);
  tally.report({ phase: 'runs', done: 0, total: runs.length });
  for (const [index, run] of runs.entries()) {
    tally.current = run.info.runId;
    const state = await pushRun(context, run, experimentIds.get(run.info.experimentId)!);
    tally.add({ [STATE_COUNT[state]]: 1 });
    tally.report({
      phase: 'runs',
      done: index + 1,
      total: runs.length,
      runId: run.info.runId,
      state,
    });
  }
  tally.current = undefined;
}

/** The remote experiment of the same name, created (with the local tags) when missing. */
async function ensureExperiment(context: PushContext, local: Experiment): Promise<string> {
  const { remote, tally } = context;
  let found = await remote.experiments.getByName(local.name);
  if (!found) {
    try {
      const experimentId = await remote.experiments.create(local.name, local.tags);
      tally.add({ experiments: 1 });
      return experimentId;
    } catch (error) {
      const raced = isRemoteError(error, 'RESOURCE_ALREADY_EXISTS') || isAmbiguous(error);
      found = raced ? await remote.experiments.getByName(local.name) : undefined;
      if (!found) throw error;
    }
  }
  if (found.lifecycleStage === 'deleted') {
    throw new RemoteError(
      `the experiment '${local.name}' is deleted on ${remote.url}: restore it there, or rename ` +
        'the local experiment, then push again',
      { kind: 'api', errorCode: 'INVALID_STATE' },
    );
  }
  const theirs = new Map(found.tags.map((t) => [t.key, t.value]));
  for (const tag of local.tags) {
    if (theirs.get(tag.key) !== tag.value) await remote.experiments.setTag(found.experimentId, tag);
  }
  return found.experimentId;
}
