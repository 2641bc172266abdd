/**
 * The store's entities, named as MLflow names them (camelCase here; the tracking server turns
 * them into MLflow's snake_case JSON in one place, src/core/tracking/wire.ts).
 */
export const RunStatuses = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RunStatuses)[number];

export type LifecycleStage = 'active' | 'deleted';
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface Tag {
  key: string;
  value: string;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number | null;
  lastUpdateTime: number | null;
  tags: Tag[];
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number | null;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  tags: Tag[];
  dataset: Dataset;
}

export interface Run {
  info: RunInfo;
  data: { metrics: Metric[]; params: Tag[]; tags: Tag[] };
  inputs: { datasetInputs: DatasetInput[] };
}

export const ModelVersionStages = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelVersionStage = (typeof ModelVersionStages)[number];

export interface ModelVersion {
  name: string;
  version: string;
  creationTimestamp: number | null;
  lastUpdatedTimestamp: number | null;
  userId: string;
  currentStage: string;
  description: string;
  source: string;
  runId: string;
  runLink: string;
  status: string;
  statusMessage: string;
  tags: Tag[];
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creationTimestamp: number | null;
  lastUpdatedTimestamp: number | null;
  description: string;
  latestVersions: ModelVersion[];
  tags: Tag[];
  aliases: Array<{ alias: string; version: string }>;
}

/** One page of a search, with MLflow's opaque token for the next page when there is one. */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}
