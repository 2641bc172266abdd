import type { Run } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import { quote } from '../models/model';
import { inline } from '../models/tooltips';
import { ago, type ViewNode } from '../views/node';

/** How many of the runs that used a dataset its item lists, newest first. */
export const RUNS_PER_DATASET = 200;

const CONTEXT_TAG = 'mlflow.data.context';

/** A dataset recorded as a run input: one per experiment, name and digest, with its contexts. */
export interface RecordedDataset {
  experimentId: string;
  experimentName: string;
  name: string;
  digest: string;
  contexts: string[];
}

/** The datasets that runs of the active experiments logged as inputs (MLflow's log_input). */
export function recordedDatasets(store: RunStore): RecordedDataset[] {
  const experiments = store.searchExperiments({ maxResults: 1000 }).items;
  const names = new Map(experiments.map((e) => [e.experimentId, e.name]));
  const merged = new Map<string, RecordedDataset>();
  for (const summary of store.searchDatasets([...names.keys()])) {
    const key = JSON.stringify([summary.experiment_id, summary.name, summary.digest]);
    const entry = merged.get(key) ?? {
      experimentId: summary.experiment_id,
      experimentName: names.get(summary.experiment_id) ?? summary.experiment_id,
      name: summary.name,
      digest: summary.digest,
      contexts: [],
    };
    if (summary.context && !entry.contexts.includes(summary.context)) {
      entry.contexts.push(summary.context);
    }
    merged.set(key, entry);
  }
  return [...merged.values()];
}

export function recordedDatasetNode(dataset: RecordedDataset): ViewNode {
  const contexts = dataset.contexts.join(', ');
  return {
    id: `recordedDataset:${JSON.stringify([dataset.experimentId, dataset.name, dataset.digest])}`,
    label: dataset.name,
    description: [dataset.digest, contexts, dataset.experimentName].filter(Boolean).join(' · '),
    tooltip: [
      `**${inline(dataset.name)}**, recorded as a run input`,
      `Digest: ${inline(dataset.digest)}`,
      contexts ? `Context: ${inline(contexts)}` : '',
      `Experiment: ${inline(dataset.experimentName)}`,
    ]
      .filter(Boolean)
      .join('\n\n'),
    contextValue: 'recordedDataset',
    icon: { id: 'database' },
    collapsible: 'collapsed',
    data: {
      kind: 'dataset',
      name: dataset.name,
      digest: dataset.digest,
      experimentId: dataset.experimentId,
    },
  };
}

/** The runs that logged this dataset as an input, newest first. */
export function datasetRunNodes(
  store: RunStore,
  dataset: { experimentId: string; name: string; digest: string },
  now = Date.now(),
): ViewNode[] {
  const runs = store.searchRuns({
    experimentIds: [dataset.experimentId],
    filter: `datasets.name = ${quote(dataset.name)} AND datasets.digest = ${quote(dataset.digest)}`,
    orderBy: ['attributes.start_time DESC'],
    maxResults: RUNS_PER_DATASET,
  }).items;
  return runs.map((run) => runNode(run, dataset, now));
}

const statusIcons: Record<string, string> = {
  RUNNING: 'loading~spin',
  SCHEDULED: 'clock',
  FINISHED: 'pass',
  FAILED: 'error',
  KILLED: 'circle-slash',
};

function runNode(run: Run, dataset: { name: string; digest: string }, now: number): ViewNode {
  const inputs = run.inputs.datasetInputs.filter(
    (input) => input.dataset.name === dataset.name && input.dataset.digest === dataset.digest,
  );
  const contexts = inputs.flatMap((input) =>
    input.tags.filter((tag) => tag.key === CONTEXT_TAG).map((tag) => tag.value),
  );
  const source = inputs[0]?.dataset;
  const { runId, runName, status, experimentId } = run.info;
  return {
    id: `recordedDataset:${JSON.stringify([dataset.name, dataset.digest])}:run:${runId}`,
    label: runName,
    description: [contexts.join(', '), status.toLowerCase(), ago(run.info.startTime, now)]
      .filter(Boolean)
      .join(' · '),
    tooltip: [
      `**${inline(runName)}** (${inline(runId)}), ${inline(status)}`,
      source ? `Source (${inline(source.sourceType)}): ${inline(source.source)}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
    contextValue: 'datasetRun',
    icon: { id: statusIcons[status] ?? 'circle-outline' },
    collapsible: 'none',
    data: { kind: 'run', runId, experimentId, name: runName, deleted: false, status },
  };
}
