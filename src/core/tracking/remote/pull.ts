import type { Experiment, Run } from '../../store/entities';
import { invalid } from '../../store/errors';
import type { RunStore } from '../../store/store';
import { collect } from './api/caller';
import type { MlflowClient } from './client';
import { pullRegistry } from './pullRegistry';
import { pullRun, type PullContext } from './pullRun';
import {
  parentsFirst,
  STATE_COUNT,
  Tally,
  TransferError,
  type TransferOptions,
  type TransferSummary,
} from './transfer';

export interface PullOptions extends TransferOptions {
  /** Only this remote experiment (by name), with all its active runs. */
  experiment?: string;
  /** Only this remote run. */
  runId?: string;
  /** Registered models too: their versions whose runs are pulled, and aliases. */
  models?: boolean;
  /** With `models`, only the registered model of this name (one request instead of a search). */
  model?: string;
}

/**
 * Copies remote runs (params, tags, whole metric histories, dataset inputs, artifacts) into the
 * store, for offline work and for drift checks against their datasets; with `models`, the
 * registry too. Every run keeps its remote id locally, so pulling again updates it and adds only
 * what it lacks, and pushing it back finds the same remote run; a run that was pushed from this
 * store is merged back into the run it came from. Experiments and models are matched by name.
 *
 * Each run is fetched whole before anything is written, then written in one transaction, so a
 * failure or a cancel leaves no run half-written; the runs pulled before it stay, and pulling
 * again carries on. Failures after the start are TransferErrors with the counts so far.
 */
export async function pullFromRemote(
  store: RunStore,
  client: MlflowClient,
  options: PullOptions = {},
): Promise<TransferSummary> {
  const remote = client.withSignal(options.signal);
  await remote.checkServer();
  const selection = await selectRemote(remote, options);
  checkLocalExperiments(store, selection);

  const tally = new Tally('pull', options);
  const context: PullContext = { store, remote, tally, runs: new Map(), signal: options.signal };
  try {
    await pullRuns(context, selection);
    if (options.models) {
      await pullRegistry(context, !options.experiment && !options.runId, options.model);
    }
  } catch (error) {
    throw new TransferError('pull', error, { ...tally.summary }, tally.current);
  }
  return tally.summary;
}

interface Selection {
  experiments: Map<string, Experiment>;
  runs: Run[];
}

async function selectRemote(remote: MlflowClient, options: PullOptions): Promise<Selection> {
  if (options.runId) {
    const run = await remote.runs.find(options.runId);
    if (!run) throw invalid(`${remote.url} has no run ${options.runId}`);
    if (run.info.lifecycleStage === 'deleted') {
      throw invalid(`the run ${options.runId} is deleted on ${remote.url}`);
    }
    const experiment = await remote.experiments.get(run.info.experimentId);
    if (options.experiment !== undefined && experiment.name !== options.experiment) {
      throw invalid(
        `the run ${options.runId} is in the experiment '${experiment.name}', not '${options.experiment}'`,
      );
    }
    return { experiments: new Map([[experiment.experimentId, experiment]]), runs: [run] };
  }

  let experiments: Experiment[];
  if (options.experiment !== undefined) {
    const experiment = await remote.experiments.getByName(options.experiment);
    if (!experiment || experiment.lifecycleStage === 'deleted') {
      throw invalid(`${remote.url} has no experiment named '${options.experiment}'`);
    }
    experiments = [experiment];
  } else {
    experiments = await collect(remote.experiments.all({ viewType: 'ACTIVE_ONLY' }));
  }
  const runs: Run[] = [];
  for (const experiment of experiments) {
    const search = { experimentIds: [experiment.experimentId], viewType: 'ACTIVE_ONLY' as const };
    for await (const run of remote.runs.all({ ...search, maxResults: 1000 })) runs.push(run);
  }
  return { experiments: new Map(experiments.map((e) => [e.experimentId, e])), runs };
}

/** Runs are never pulled into a deleted local experiment, where they would land deleted. */
function checkLocalExperiments(store: RunStore, selection: Selection): void {
  for (const experiment of selection.experiments.values()) {
    const local = store.db.get<{ lifecycle_stage: string }>(
      'SELECT lifecycle_stage FROM experiments WHERE name = ?',
      [experiment.name],
    );
    if (local?.lifecycle_stage === 'deleted') {
      throw invalid(
        `the local experiment '${experiment.name}' is deleted; restore it to pull into it`,
      );
    }
  }
}

async function pullRuns(context: PullContext, selection: Selection): Promise<void> {
  const { tally } = context;
  const runs = parentsFirst(selection.runs);
  tally.report({ phase: 'runs', done: 0, total: runs.length });
  for (const [index, run] of runs.entries()) {
    context.signal?.throwIfAborted();
    tally.current = run.info.runId;
    const experiment = selection.experiments.get(run.info.experimentId)!;
    const state = await pullRun(context, run, experiment);
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
