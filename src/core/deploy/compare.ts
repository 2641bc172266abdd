import type { Run } from '../store/entities';
import type { RunStore } from '../store/store';
import { DeployError } from './errors';
import { resolveModelUri, type ResolvedModel } from './modelUri';

/**
 * Which of two models is better on one metric. A registered version is judged by its latest
 * finished evaluation run that logged the metric (a launch of an evaluate entry point against
 * it, tagged model_factory.evaluated_model), else by the run that trained it; a runs:/ URI by
 * that run. Evaluations come first because they are what a promotion should rest on: the
 * version's numbers on data chosen to judge it, not on the data it was fitted to.
 */

export type Direction = 'higher' | 'lower';

export interface MetricReading {
  uri: string;
  /** models:/name/version for a registry URI (whatever alias named it), else the URI. */
  canonicalUri: string;
  value: number;
  runId: string;
  /** Where the value came from: an evaluation run, the training run, or the runs:/ run. */
  from: 'evaluation' | 'training' | 'run';
}

export interface Comparison {
  metric: string;
  direction: Direction;
  /** False when the direction was given rather than read from the metric's name. */
  directionFromName: boolean;
  first: MetricReading;
  second: MetricReading;
  /** The CLI's exit 0: the first is better or equal. */
  firstIsAtLeastAsGood: boolean;
}

export const EVALUATED_MODEL_TAG = 'model_factory.evaluated_model';

/** Lower is better for losses and errors (loss, rmse, mae, log_loss, error_rate...). */
const LOWER_IS_BETTER =
  /(^|[^a-z])(loss|logloss|err|error|errors|rmse|mse|mae|mape|smape|msle|rmsle|deviance|perplexity|brier|hamming|wer|cer)([^a-z]|$)|loss$|error$/i;

export function metricDirection(metric: string): Direction {
  return LOWER_IS_BETTER.test(metric) ? 'lower' : 'higher';
}

export function compareVersions(
  store: RunStore,
  firstUri: string,
  secondUri: string,
  metric: string,
  options: { direction?: Direction } = {},
): Comparison {
  const first = readMetric(store, resolveModelUri(store, firstUri), metric);
  const second = readMetric(store, resolveModelUri(store, secondUri), metric);

  const direction = options.direction ?? metricDirection(metric);
  const firstIsAtLeastAsGood =
    direction === 'higher' ? first.value >= second.value : first.value <= second.value;
  return {
    metric,
    direction,
    directionFromName: options.direction === undefined,
    first,
    second,
    firstIsAtLeastAsGood,
  };
}

function readMetric(store: RunStore, model: ResolvedModel, metric: string): MetricReading {
  const base = { uri: model.uri, canonicalUri: model.canonicalUri };
  if (model.version) {
    const evaluation = latestEvaluation(store, model.canonicalUri, metric);
    if (evaluation) return { ...base, ...evaluation, from: 'evaluation' };
  }
  const run = model.runId ? store.getRun(model.runId) : undefined;
  const value = run && valueOf(run, metric);
  if (run && value !== undefined) {
    return { ...base, value, runId: run.info.runId, from: model.version ? 'training' : 'run' };
  }
  throw missingMetric(model, metric, run);
}

/** The newest finished evaluation of the version that logged the metric. */
function latestEvaluation(
  store: RunStore,
  versionUri: string,
  metric: string,
): { value: number; runId: string } | undefined {
  const experimentIds = store
    .searchExperiments({ maxResults: 50000 })
    .items.map((experiment) => experiment.experimentId);
  const runs = store.searchRuns({
    experimentIds,
    filter: `tags.\`${EVALUATED_MODEL_TAG}\` = '${versionUri.replaceAll("'", "''")}' and attributes.status = 'FINISHED'`,
    orderBy: ['attributes.start_time DESC'],
    maxResults: 1000,
  }).items;
  for (const run of runs) {
    const value = valueOf(run, metric);
    if (value !== undefined) return { value, runId: run.info.runId };
  }
  return undefined;
}

function valueOf(run: Run, metric: string): number | undefined {
  const found = run.data.metrics.find((candidate) => candidate.key === metric);
  return found === undefined || Number.isNaN(found.value) ? undefined : found.value;
}

function missingMetric(model: ResolvedModel, metric: string, run: Run | undefined): DeployError {
  const where =
    model.canonicalUri === model.uri ? model.uri : `${model.uri} (${model.canonicalUri})`;
  if (!run) {
    return new DeployError(
      `${where} has no metric '${metric}': it names no source run and has no evaluation that logged it`,
    );
  }
  const known = run.data.metrics.map((candidate) => candidate.key).sort();
  const evaluations = model.version ? ' nor its evaluation runs' : '';
  return new DeployError(
    `${where} has no metric '${metric}': neither its run ${run.info.runId}${evaluations} logged it (the run has ${known.join(', ') || 'no metrics'})`,
  );
}
