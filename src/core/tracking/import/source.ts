import type { Dataset, LifecycleStage, RunStatus, Tag } from '../../store/entities';

/**
 * What an MLflow store holds, read into one shape whichever store it came from (an `mlruns/`
 * folder or an `mlflow.db` file), so that one writer puts both into the run store. Ids are kept
 * as text: MLflow's file store makes experiment ids such as '606783375233873416', past the
 * integers a JavaScript number holds exactly.
 */
export interface SourceExperiment {
  experimentId: string;
  name: string;
  lifecycleStage: LifecycleStage;
  creationTime: number | null;
  lastUpdateTime: number | null;
  tags: Tag[];
  datasets: SourceDataset[];
}

export interface SourceDataset extends Dataset {
  /** The dataset's id in the source, which run inputs refer to. */
  datasetUuid: string;
}

export interface SourceInput {
  datasetUuid: string;
  tags: Tag[];
}

export interface MetricPoint {
  value: number;
  timestamp: number;
  step: number;
}

export interface MetricSeries {
  key: string;
  points: MetricPoint[];
}

/** Where a run is in the source, cheap to list so that progress has a total up front. */
export interface RunRef {
  runId: string;
  experimentId: string;
  /** The run's folder in a file store, for reading it and for messages. */
  dir?: string;
}

export interface SourceRun {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number | null;
  endTime: number | null;
  deletedTime: number | null;
  lifecycleStage: LifecycleStage;
  sourceType: string;
  sourceName: string;
  entryPointName: string;
  sourceVersion: string;
  artifactUri: string;
  params: Tag[];
  tags: Tag[];
  metrics: MetricSeries[];
  inputs: SourceInput[];
  /** Local folders that may hold the run's artifacts, besides what artifactUri names. */
  artifactDirs: string[];
}

export interface SourceModelVersion {
  version: number;
  creationTime: number | null;
  lastUpdatedTime: number | null;
  description: string | null;
  userId: string | null;
  currentStage: string;
  source: string | null;
  runId: string | null;
  status: string;
  statusMessage: string | null;
  runLink: string | null;
  storageLocation: string | null;
  tags: Tag[];
}

export interface SourceModel {
  name: string;
  creationTime: number | null;
  lastUpdatedTime: number | null;
  description: string | null;
  tags: Tag[];
  aliases: Array<{ alias: string; version: number }>;
  versions: SourceModelVersion[];
}

/** An open MLflow store to read from. Reads may throw MlflowErrors that name the bad file. */
export interface MlflowSource {
  /** Says what was opened, for logs and messages. */
  readonly label: string;
  /** The folder that relative artifact paths in the source are resolved against. */
  readonly baseDir: string;
  /** Where `mlflow-artifacts:/` URIs point, when the source has such a folder beside it. */
  readonly proxiedArtifactsDir?: string;
  experiments(): Promise<SourceExperiment[]>;
  runRefs(): Promise<RunRef[]>;
  readRun(ref: RunRef): Promise<SourceRun>;
  models(): Promise<SourceModel[]>;
  close(): void;
}

export const RUN_STATUS_BY_NUMBER: Record<number, RunStatus> = {
  1: 'RUNNING',
  2: 'SCHEDULED',
  3: 'FINISHED',
  4: 'FAILED',
  5: 'KILLED',
};

/** MLflow's SourceType enum, which the file store writes as a number. */
export const SOURCE_TYPE_BY_NUMBER: Record<number, string> = {
  1: 'NOTEBOOK',
  2: 'JOB',
  3: 'PROJECT',
  4: 'LOCAL',
  1000: 'UNKNOWN',
};

export const SOURCE_TYPES = ['NOTEBOOK', 'JOB', 'LOCAL', 'UNKNOWN', 'PROJECT'];

export const RUN_ID = /^[0-9a-f]{32}$/;
