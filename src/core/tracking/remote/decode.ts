import type {
  DatasetInput,
  Experiment,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  RunStatus,
  Tag,
} from '../../store/entities';

/**
 * MLflow's JSON, read into the store's entities, so that code copying between a remote server
 * and the store compares like with like. Servers differ in small ways (int64 fields as strings,
 * NaN as "NaN", empty lists left out, run_uuid for run_id), all of which are read here.
 */
type Json = Record<string, unknown>;

const text = (value: unknown, fallback = ''): string =>
  value === undefined || value === null ? fallback : String(value);

const time = (value: unknown): number | null =>
  value === undefined || value === null || value === '' ? null : Number(value);

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

function tags(value: unknown): Tag[] {
  return list(value).map((t) => ({ key: text(t.key), value: text(t.value) }));
}

export function decodeExperiment(json: Json): Experiment {
  return {
    experimentId: text(json.experiment_id),
    name: text(json.name),
    artifactLocation: text(json.artifact_location),
    lifecycleStage: json.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    creationTime: time(json.creation_time),
    lastUpdateTime: time(json.last_update_time),
    tags: tags(json.tags),
  };
}

/** A metric value: protobuf's JSON spells NaN and the infinities as strings. */
export function decodeMetricValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'nan') return NaN;
  if (value === 'Infinity' || value === 'inf') return Infinity;
  if (value === '-Infinity' || value === '-inf') return -Infinity;
  return Number(value);
}

export function decodeMetric(json: Json): Metric {
  return {
    key: text(json.key),
    value: decodeMetricValue(json.value),
    timestamp: Number(json.timestamp ?? 0),
    step: Number(json.step ?? 0),
  };
}

function decodeInput(json: Json): DatasetInput {
  const dataset = (json.dataset ?? {}) as Json;
  return {
    tags: tags(json.tags),
    dataset: {
      name: text(dataset.name),
      digest: text(dataset.digest),
      sourceType: text(dataset.source_type),
      source: text(dataset.source),
      ...(dataset.schema === undefined ? {} : { schema: text(dataset.schema) }),
      ...(dataset.profile === undefined ? {} : { profile: text(dataset.profile) }),
    },
  };
}

export function decodeRun(json: Json): Run {
  const info = (json.info ?? {}) as Json;
  const data = (json.data ?? {}) as Json;
  const inputs = (json.inputs ?? {}) as Json;
  return {
    info: {
      runId: text(info.run_id ?? info.run_uuid),
      runName: text(info.run_name),
      experimentId: text(info.experiment_id),
      userId: text(info.user_id),
      status: text(info.status, 'RUNNING') as RunStatus,
      startTime: time(info.start_time),
      endTime: time(info.end_time),
      artifactUri: text(info.artifact_uri),
      lifecycleStage: info.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    },
    data: {
      metrics: list(data.metrics).map(decodeMetric),
      params: tags(data.params),
      tags: tags(data.tags),
    },
    inputs: { datasetInputs: list(inputs.dataset_inputs).map(decodeInput) },
  };
}

export function decodeModelVersion(json: Json): ModelVersion {
  return {
    name: text(json.name),
    version: text(json.version),
    creationTimestamp: time(json.creation_timestamp),
    lastUpdatedTimestamp: time(json.last_updated_timestamp),
    userId: text(json.user_id),
    currentStage: text(json.current_stage, 'None'),
    description: text(json.description),
    source: text(json.source),
    runId: text(json.run_id),
    runLink: text(json.run_link),
    status: text(json.status, 'READY'),
    statusMessage: text(json.status_message),
    tags: tags(json.tags),
    aliases: Array.isArray(json.aliases) ? json.aliases.map((a) => text(a)) : [],
  };
}

export function decodeRegisteredModel(json: Json): RegisteredModel {
  return {
    name: text(json.name),
    creationTimestamp: time(json.creation_timestamp),
    lastUpdatedTimestamp: time(json.last_updated_timestamp),
    description: text(json.description),
    latestVersions: list(json.latest_versions).map(decodeModelVersion),
    tags: tags(json.tags),
    aliases: list(json.aliases).map((a) => ({ alias: text(a.alias), version: text(a.version) })),
  };
}
