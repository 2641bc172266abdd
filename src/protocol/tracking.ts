import { z } from 'zod';

/**
 * Request schemas of MLflow's tracking and registry REST API, as the built-in server accepts
 * them. Protobuf's JSON mapping lets int64 fields arrive as numbers or as decimal strings, and
 * GET requests carry everything as query strings, so the number types here accept both.
 */
const int64 = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/, 'expected a whole number')
    .transform(Number),
]);

/**
 * A metric value: a number, or a string spelling one (Python clients send NaN and Infinity, which
 * the tolerant JSON reader keeps as numbers). The store checks the string spellings, naming the
 * metric in its message.
 */
const double = z.custom<number | string>(
  (value) => typeof value === 'number' || typeof value === 'string',
  'expected a number',
);

const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);
const id = z.string().min(1, 'must not be empty');
const tag = z.object({ key: z.string(), value: z.string().optional().default('') });
const tags = z.array(tag).optional().default([]);
const viewType = z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']).optional();
const orderBy = z.array(z.string()).optional();
const paging = { max_results: int64.optional(), page_token: z.string().optional() };

/** run_uuid is MLflow's deprecated name for run_id; either may be sent. */
const runRef = { run_id: z.string().optional(), run_uuid: z.string().optional() };

export const experimentRequests = {
  create: z.object({ name: z.string(), artifact_location: z.string().optional(), tags }),
  search: z.object({
    ...paging,
    filter: z.string().optional(),
    order_by: orderBy,
    view_type: viewType,
  }),
  get: z.object({ experiment_id: id }),
  getByName: z.object({ experiment_name: id }),
  delete: z.object({ experiment_id: id }),
  restore: z.object({ experiment_id: id }),
  update: z.object({ experiment_id: id, new_name: z.string() }),
  setTag: z.object({ experiment_id: id, key: z.string(), value: z.string() }),
  deleteTag: z.object({ experiment_id: id, key: z.string() }),
  searchDatasets: z.object({ experiment_ids: z.array(id).min(1, 'name at least one experiment') }),
};

const metric = z.object({
  key: z.string(),
  value: double,
  timestamp: int64.optional(),
  step: int64.optional(),
});
const param = z.object({ key: z.string(), value: z.string() });
const dataset = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});

export const runRequests = {
  create: z.object({
    experiment_id: z.string().optional(),
    user_id: z.string().optional(),
    run_name: z.string().optional(),
    start_time: int64.optional(),
    tags,
  }),
  update: z.object({
    ...runRef,
    status: z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']).optional(),
    end_time: int64.optional(),
    run_name: z.string().optional(),
  }),
  delete: z.object({ run_id: id }),
  restore: z.object({ run_id: id }),
  get: z.object(runRef),
  search: z.object({
    ...paging,
    experiment_ids: z.array(id).optional().default([]),
    filter: z.string().optional(),
    run_view_type: viewType,
    order_by: orderBy,
  }),
  // MLflow requires timestamp here (validate_required), though not for a metric in log-batch.
  logMetric: z.object({
    ...runRef,
    key: z.string(),
    value: double,
    timestamp: int64,
    step: int64.optional(),
  }),
  logParam: z.object({ ...runRef, key: z.string(), value: z.string() }),
  setTag: z.object({ ...runRef, key: z.string(), value: z.string() }),
  deleteTag: z.object({ run_id: id, key: z.string() }),
  logBatch: z.object({
    ...runRef,
    metrics: z.array(metric).optional().default([]),
    params: z.array(param).optional().default([]),
    tags,
  }),
  logModel: z.object({ ...runRef, model_json: z.string() }),
  logInputs: z.object({
    run_id: id,
    datasets: z.array(z.object({ tags, dataset })).optional().default([]),
  }),
  // MLflow 3's LogOutputs: the logged models a run produced, each with the step it was taken at.
  logOutputs: z.object({
    run_id: id,
    models: z
      .array(z.object({ model_id: id, step: int64 }))
      .optional()
      .default([]),
  }),
};

export const metricRequests = {
  getHistory: z.object({ ...runRef, ...paging, metric_key: z.string() }),
  getHistoryBulkInterval: z.object({
    run_ids: z.array(id).min(1, 'name at least one run'),
    metric_key: z.string(),
    start_step: int64.optional(),
    end_step: int64.optional(),
    max_results: int64.optional(),
  }),
  listArtifacts: z.object({
    ...runRef,
    path: z.string().optional(),
    page_token: z.string().optional(),
  }),
};

const modelName = { name: z.string() };
const version = {
  ...modelName,
  version: z.union([z.string(), z.number().int().transform(String)]),
};

export const registryRequests = {
  createModel: z.object({ ...modelName, tags, description: z.string().optional() }),
  renameModel: z.object({ ...modelName, new_name: z.string() }),
  updateModel: z.object({ ...modelName, description: z.string().optional() }),
  deleteModel: z.object(modelName),
  getModel: z.object(modelName),
  searchModels: z.object({ ...paging, filter: z.string().optional(), order_by: orderBy }),
  latestVersions: z.object({ ...modelName, stages: z.array(z.string()).optional() }),
  setModelTag: z.object({ ...modelName, key: z.string(), value: z.string() }),
  deleteModelTag: z.object({ ...modelName, key: z.string() }),
  setAlias: z.object({ ...modelName, alias: z.string(), version: version.version }),
  deleteAlias: z.object({ ...modelName, alias: z.string() }),
  getAlias: z.object({ ...modelName, alias: z.string() }),
  createVersion: z.object({
    ...modelName,
    source: z.string(),
    run_id: z.string().optional(),
    tags,
    run_link: z.string().optional(),
    description: z.string().optional(),
  }),
  updateVersion: z.object({ ...version, description: z.string().optional() }),
  transitionStage: z.object({
    ...version,
    stage: z.string(),
    archive_existing_versions: bool.optional().default(false),
  }),
  deleteVersion: z.object(version),
  getVersion: z.object(version),
  searchVersions: z.object({ ...paging, filter: z.string().optional(), order_by: orderBy }),
  downloadUri: z.object(version),
  setVersionTag: z.object({ ...version, key: z.string(), value: z.string() }),
  deleteVersionTag: z.object({ ...version, key: z.string() }),
};

/** Field names whose query-string form is a list (repeated keys), for GET requests. */
export const LIST_FIELDS = new Set(['experiment_ids', 'run_ids', 'order_by', 'stages']);

/** Turns a zod failure into MLflow's wording, naming the field. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.') || 'request body';
  if (isMissing(issue)) return `Missing value for required parameter '${field}'.`;
  return `Invalid value for parameter '${field}': ${issue.message.replace(/^Invalid input: /, '')}`;
}

// A union (int64: a number or a decimal string) reports an absent field as "Invalid input", with
// each alternative's own "received undefined" inside.
function isMissing(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'invalid_type') return /received undefined/.test(issue.message);
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return false;
  return issue.errors.every((alternative) => alternative.some(isMissing));
}
