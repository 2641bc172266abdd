import * as path from 'node:path';
import type { ScoreResult } from '../../core/deploy';
import type { ModelVersion, Tag } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';

/**
 * A batch scoring kept as a run, so that it sits beside the training and evaluation runs it
 * belongs with, and so that the scored file can be traced back to the version that scored it.
 */

/** The version that scored, as models:/name/version. */
export const SCORED_MODEL_TAG = 'model_factory.scored_model';
/** The scored copy's absolute path. */
export const SCORED_FILE_TAG = 'model_factory.scored_file';

export interface Scoring {
  version: ModelVersion;
  /** The data file that was scored. */
  data: string;
  result: ScoreResult;
  startTime: number;
  endTime: number;
  /** The data file's sha256 (fileDigest), for its dataset input. */
  digest: string;
}

/**
 * Logs a finished scoring as a run in the experiment of the run that trained the version (the
 * Default experiment when there is none), and returns its id.
 */
export function logScoringRun(store: RunStore, scoring: Scoring): string {
  const { version, result } = scoring;
  const modelUri = `models:/${version.name}/${version.version}`;
  const tags: Tag[] = [
    { key: SCORED_MODEL_TAG, value: modelUri },
    { key: SCORED_FILE_TAG, value: result.out },
    { key: 'mlflow.source.type', value: 'LOCAL' },
    { key: 'mlflow.source.name', value: 'Model Factory: Score a Data File' },
  ];
  const run = store.createRun({
    experimentId: experimentOf(store, version),
    runName: `score ${version.name} v${version.version} on ${path.basename(scoring.data)}`,
    startTime: scoring.startTime,
    tags,
  });
  const runId = run.info.runId;

  store.logBatch(runId, { params: scoringParams(modelUri, scoring) });
  store.logInputs(runId, [
    {
      tags: [{ key: 'mlflow.data.context', value: 'scoring' }],
      dataset: {
        name: path.basename(scoring.data),
        // MLflow's digests are short (8 hex characters for a pandas dataset); the table takes 36.
        digest: scoring.digest.slice(0, 8),
        sourceType: 'local',
        source: JSON.stringify({ uri: scoring.data }),
      },
    },
  ]);
  store.updateRun(runId, { status: 'FINISHED', endTime: scoring.endTime });
  return runId;
}

function scoringParams(modelUri: string, scoring: Scoring): Tag[] {
  return [
    { key: 'model_uri', value: modelUri },
    { key: 'data_path', value: scoring.data },
    { key: 'rows', value: String(scoring.result.rows) },
    { key: 'prediction_column', value: scoring.result.column },
    { key: 'output_path', value: scoring.result.out },
    { key: 'loader', value: scoring.result.loader },
  ];
}

/** The training run's experiment, unless that run or its experiment is gone. */
function experimentOf(store: RunStore, version: ModelVersion): string {
  if (!version.runId) return '0';
  try {
    const run = store.getRun(version.runId);
    const experiment = store.getExperiment(run.info.experimentId);
    return experiment.lifecycleStage === 'active' ? experiment.experimentId : '0';
  } catch {
    // The source run was deleted for good, or the version names a run of another store.
    return '0';
  }
}

/** `<name>.scored.csv` beside the data file (`.scored.tsv` for TSV, which stays tab-separated). */
export function scoredPath(data: string): string {
  const extension = path.extname(data);
  const stem = path.basename(data, extension);
  return path.join(
    path.dirname(data),
    `${stem}.scored${extension.toLowerCase() === '.tsv' ? '.tsv' : '.csv'}`,
  );
}
