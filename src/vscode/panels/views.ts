import path from 'node:path';
import type { DatasetInput, Metric, Run, Tag } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import type { CompareRun, RunView, VersionView } from '../../protocol/panels';

/**
 * What the panels show, read from the store into the protocol's shapes. No `vscode` import: the
 * hosts pass in what they know of the workspace, and tests call these on a real store.
 */

const EVALUATED_MODEL_TAG = 'model_factory.evaluated_model';

function tagValue(tags: Tag[], key: string): string | undefined {
  return tags.find((tag) => tag.key === key)?.value;
}

const byKey = (a: Metric, b: Metric) => a.key.localeCompare(b.key);

function metricSummaries(metrics: Metric[]) {
  return [...metrics].sort(byKey).map((m) => ({
    key: m.key,
    value: Number.isFinite(m.value) ? m.value : null,
    step: m.step,
    timestamp: m.timestamp,
  }));
}

function datasetSummaries(inputs: DatasetInput[]) {
  return inputs.map(({ dataset, tags }) => {
    const context = tagValue(tags, 'mlflow.data.context');
    const rows = profileRows(dataset.profile);
    return {
      name: dataset.name,
      digest: dataset.digest,
      source: dataset.source,
      sourceType: dataset.sourceType,
      ...(context ? { context } : {}),
      ...(rows === undefined ? {} : { rows }),
    };
  });
}

/** MLflow's dataset profiles are JSON such as {"num_rows": 1000, ...}; anything else is ignored. */
function profileRows(profile: string | undefined): number | undefined {
  if (!profile) return undefined;
  try {
    const parsed = JSON.parse(profile) as Record<string, unknown>;
    const rows = parsed.num_rows ?? parsed.rows;
    return typeof rows === 'number' && Number.isFinite(rows) ? rows : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `workspaceFolders` decides whether the source file can be opened: a run logged on another
 * machine names a path that is not here.
 */
export function runView(store: RunStore, runId: string, workspaceFolders: string[]): RunView {
  const run = store.getRun(runId);
  const { info, data } = run;
  const experiment = store.getExperiment(info.experimentId);
  const parentId = tagValue(data.tags, 'mlflow.parentRunId');

  return {
    runId: info.runId,
    name: info.runName,
    status: info.status,
    deleted: info.lifecycleStage === 'deleted',
    experiment: { id: experiment.experimentId, name: experiment.name },
    user: info.userId,
    startTime: info.startTime,
    endTime: info.endTime,
    source: sourceOf(data.tags, workspaceFolders),
    ...(parentId ? { parent: parentOf(store, parentId) } : {}),
    params: [...data.params].sort((a, b) => a.key.localeCompare(b.key)),
    tags: data.tags.filter((tag) => !tag.key.startsWith('mlflow.')),
    systemTags: data.tags.filter((tag) => tag.key.startsWith('mlflow.')),
    inputs: datasetSummaries(run.inputs.datasetInputs),
    metrics: metricSummaries(data.metrics),
  };
}

function sourceOf(tags: Tag[], workspaceFolders: string[]): RunView['source'] {
  const name = tagValue(tags, 'mlflow.source.name');
  if (!name) return undefined;
  const commit = tagValue(tags, 'mlflow.source.git.commit');
  const branch = tagValue(tags, 'mlflow.source.git.branch');
  const dirty = tagValue(tags, 'mlflow.source.git.dirty');
  const entryPoint = tagValue(tags, 'mlflow.project.entryPoint');
  return {
    name,
    ...(commit ? { commit } : {}),
    ...(branch ? { branch } : {}),
    ...(dirty ? { dirty: dirty === 'true' } : {}),
    ...(entryPoint ? { entryPoint } : {}),
    openable: sourceInWorkspace(name, workspaceFolders) !== undefined,
  };
}

/** The source file's path when it lies inside one of the workspace folders. */
export function sourceInWorkspace(name: string, workspaceFolders: string[]): string | undefined {
  if (!path.isAbsolute(name)) return undefined;
  const resolved = path.resolve(name);
  return workspaceFolders.some((folder) => {
    const relative = path.relative(folder, resolved);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  })
    ? resolved
    : undefined;
}

function parentOf(store: RunStore, parentId: string): RunView['parent'] {
  try {
    return { runId: parentId, name: store.getRun(parentId).info.runName };
  } catch {
    // A parent that was not imported: show the id, there is nothing to open.
    return undefined;
  }
}

/** The runs of a compare panel, in the order asked; ids no longer in the store are `missing`. */
export function compareRuns(store: RunStore, runIds: string[]) {
  const runs: CompareRun[] = [];
  const missing: string[] = [];
  const experiments = new Map<string, string>();
  for (const runId of runIds) {
    let run: Run;
    try {
      run = store.getRun(runId);
    } catch {
      missing.push(runId);
      continue;
    }
    runs.push(compareRow(store, run, experiments));
  }
  return { runs, missing };
}

function compareRow(store: RunStore, run: Run, experiments: Map<string, string>): CompareRun {
  const { info, data } = run;
  if (!experiments.has(info.experimentId)) {
    experiments.set(info.experimentId, store.getExperiment(info.experimentId).name);
  }
  const end = info.endTime ?? (info.status === 'RUNNING' ? Date.now() : null);
  return {
    runId: info.runId,
    name: info.runName,
    experiment: experiments.get(info.experimentId) ?? info.experimentId,
    status: info.status,
    startTime: info.startTime,
    durationMs: info.startTime !== null && end !== null ? end - info.startTime : null,
    params: Object.fromEntries(data.params.map((p) => [p.key, p.value])),
    metrics: Object.fromEntries(
      data.metrics.map((m) => [m.key, Number.isFinite(m.value) ? m.value : null]),
    ),
    tags: Object.fromEntries(
      data.tags.filter((t) => !t.key.startsWith('mlflow.')).map((t) => [t.key, t.value]),
    ),
  };
}

export function versionView(
  store: RunStore,
  name: string,
  version: string,
  canEvaluate: boolean,
): VersionView {
  const mv = store.getModelVersion(name, version);
  const run = mv.runId ? tryRun(store, mv.runId) : undefined;
  const inputs = run ? datasetSummaries(run.inputs.datasetInputs) : [];
  const training = inputs.filter((input) => input.context === 'training');

  return {
    name: mv.name,
    version: mv.version,
    status: mv.status,
    stage: mv.currentStage,
    description: mv.description ?? '',
    created: mv.creationTimestamp,
    updated: mv.lastUpdatedTimestamp,
    source: mv.source,
    aliases: [...mv.aliases].sort(),
    tags: mv.tags,
    ...(run
      ? {
          sourceRun: {
            runId: run.info.runId,
            name: run.info.runName,
            status: run.info.status,
            metrics: metricSummaries(run.data.metrics),
          },
        }
      : {}),
    datasets: training.length > 0 ? training : inputs,
    evaluations: evaluationsOf(store, `models:/${mv.name}/${mv.version}`),
    canEvaluate,
    driftChecks: store
      .listDriftChecks({ modelName: mv.name, modelVersion: mv.version, maxResults: 50 })
      .map((check) => ({
        checkId: check.checkId,
        createdTime: check.createdTime,
        current: check.current.path,
        drift: check.drift,
        drifted: check.drifted,
        total: check.total,
      })),
  };
}

function tryRun(store: RunStore, runId: string): Run | undefined {
  try {
    return store.getRun(runId);
  } catch {
    return undefined;
  }
}

/**
 * Runs launched to evaluate the version (tagged by the launcher), newest first. The filter only
 * narrows to evaluation runs: MLflow's filter strings cannot escape a quote, and a model name
 * may hold one, so the exact match is made here.
 */
function evaluationsOf(store: RunStore, uri: string): VersionView['evaluations'] {
  const { items: experiments } = store.searchExperiments({ viewType: 'ACTIVE_ONLY' });
  if (experiments.length === 0) return [];
  const { items } = store.searchRuns({
    experimentIds: experiments.map((e) => e.experimentId),
    filter: `tags.\`${EVALUATED_MODEL_TAG}\` LIKE 'models:/%'`,
    orderBy: ['attributes.start_time DESC'],
    maxResults: 50_000,
  });
  return items
    .filter((run) => run.data.tags.some((t) => t.key === EVALUATED_MODEL_TAG && t.value === uri))
    .slice(0, 200)
    .map((run) => ({
      runId: run.info.runId,
      name: run.info.runName,
      status: run.info.status,
      startTime: run.info.startTime,
      metrics: metricSummaries(run.data.metrics),
    }));
}
