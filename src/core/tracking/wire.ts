import type {
  DatasetInput,
  Experiment,
  Metric,
  ModelVersion,
  RegisteredModel,
  Run,
  RunInfo,
  Tag,
} from '../store/entities';

/**
 * MLflow's JSON shapes, made from the store's entities in this one place. MLflow serialises its
 * protobuf messages: snake_case names, int64 times as numbers, unset fields and empty lists left
 * out. The tracking server and `model-factory runs --json` both answer with these.
 */
type Json = Record<string, unknown>;

/** Drops undefined, null and empty-list fields, as protobuf's JSON printer does. */
function compact(object: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}

const tags = (list: Tag[]) => list.map((t) => ({ key: t.key, value: t.value }));

export function experimentJson(experiment: Experiment): Json {
  return compact({
    experiment_id: experiment.experimentId,
    name: experiment.name,
    artifact_location: experiment.artifactLocation,
    lifecycle_stage: experiment.lifecycleStage,
    last_update_time: experiment.lastUpdateTime,
    creation_time: experiment.creationTime,
    tags: tags(experiment.tags),
  });
}

export function runInfoJson(info: RunInfo): Json {
  return compact({
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.runName,
    experiment_id: info.experimentId,
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    end_time: info.endTime,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
  });
}

export function metricJson(metric: Metric): Json {
  return { key: metric.key, value: metric.value, timestamp: metric.timestamp, step: metric.step };
}

function datasetInputJson(input: DatasetInput): Json {
  const { dataset } = input;
  return compact({
    tags: tags(input.tags),
    dataset: compact({
      name: dataset.name,
      digest: dataset.digest,
      source_type: dataset.sourceType,
      source: dataset.source,
      schema: dataset.schema,
      profile: dataset.profile,
    }),
  });
}

export function runJson(run: Run): Json {
  return {
    info: runInfoJson(run.info),
    data: compact({
      metrics: run.data.metrics.map(metricJson),
      params: tags(run.data.params),
      tags: tags(run.data.tags),
    }),
    inputs: compact({ dataset_inputs: run.inputs.datasetInputs.map(datasetInputJson) }),
  };
}

export function modelVersionJson(version: ModelVersion): Json {
  return compact({
    name: version.name,
    version: version.version,
    creation_timestamp: version.creationTimestamp,
    last_updated_timestamp: version.lastUpdatedTimestamp,
    user_id: version.userId || undefined,
    current_stage: version.currentStage,
    description: version.description,
    source: version.source,
    run_id: version.runId || undefined,
    run_link: version.runLink || undefined,
    status: version.status,
    status_message: version.statusMessage || undefined,
    tags: tags(version.tags),
    aliases: version.aliases,
  });
}

export function registeredModelJson(model: RegisteredModel): Json {
  return compact({
    name: model.name,
    creation_timestamp: model.creationTimestamp,
    last_updated_timestamp: model.lastUpdatedTimestamp,
    description: model.description,
    latest_versions: model.latestVersions.map(modelVersionJson),
    tags: tags(model.tags),
    aliases: model.aliases.map((a) => ({ alias: a.alias, version: a.version })),
  });
}

/**
 * JSON text as MLflow's server writes it. Its responses go through protobuf's JSON printer
 * (MessageToJson), which spells a NaN or infinite double as the string "NaN", "Infinity" or
 * "-Infinity"; JSON.stringify would write null and lose the value, and bare words would break
 * JSON.parse and most clients. Requests are read in both spellings (see parseJson and the store).
 */
export function stringifyMlflow(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    indent,
  );
}
