import { invalid } from './errors';
import type { Metric, Tag } from './entities';

/**
 * MLflow's limits (reference/mlflow.md): keys up to 250 characters, param values up to 6000,
 * run tag values up to 5000, experiment tag values up to 20000; a log-batch holds at most 1000
 * metrics, 100 params and 100 tags, 1000 items in all.
 */
export const Limits = {
  keyLength: 250,
  paramValueLength: 6000,
  runTagValueLength: 5000,
  experimentTagValueLength: 20000,
  entityNameLength: 256,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
  maxSearchResults: 50000,
} as const;

const RUN_ID = /^[0-9a-f]{32}$/;

export function checkRunId(runId: unknown): string {
  if (typeof runId !== 'string' || runId.length === 0) {
    throw invalid('Missing value for required parameter run_id');
  }
  if (!RUN_ID.test(runId)) {
    throw invalid(`Invalid run id '${truncate(runId)}': a run id is 32 lowercase hex characters`);
  }
  return runId;
}

export function checkKey(kind: string, key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalid(`Missing value for required parameter ${kind} key`);
  }
  if (key.length > Limits.keyLength) {
    throw invalid(
      `${kind} key '${truncate(key)}' has length ${key.length}, which exceeds the limit of ` +
        `${Limits.keyLength}`,
    );
  }
  // MLflow's rule: keys name files in its file store, so no path tricks.
  if (key.includes('..') || key.startsWith('/') || /[\u0000]/.test(key)) {
    throw invalid(`Invalid ${kind} key '${truncate(key)}': it may not start with / or contain ..`);
  }
  return key;
}

export function checkValue(kind: string, key: string, value: unknown, limit: number): string {
  if (typeof value !== 'string') {
    throw invalid(`Invalid value for ${kind} '${key}': expected a string`);
  }
  if (value.length > limit) {
    throw invalid(
      `${kind} '${key}' has a value of length ${value.length}, which exceeds the limit of ${limit}`,
    );
  }
  return value;
}

export function checkTag(tag: Tag, limit: number = Limits.runTagValueLength): Tag {
  const key = checkKey('tag', tag?.key);
  return { key, value: checkValue('tag', key, tag.value ?? '', limit) };
}

export function checkParam(param: Tag): Tag {
  const key = checkKey('param', param?.key);
  return { key, value: checkValue('param', key, param.value, Limits.paramValueLength) };
}

/**
 * A metric value must be a number; NaN and ±Infinity are allowed (MLflow stores NaN with an
 * is_nan flag). Strings are accepted only for the JSON spellings of those three and of numbers.
 */
export function checkMetric(metric: Partial<Metric>, now: number): Metric {
  const key = checkKey('metric', metric?.key);
  const value = toMetricValue(key, metric.value);
  const timestamp = toInteger(`timestamp of metric '${key}'`, metric.timestamp ?? now);
  const step = toInteger(`step of metric '${key}'`, metric.step ?? 0);
  return { key, value, timestamp, step };
}

function toMetricValue(key: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const special: Record<string, number> = {
      NaN: NaN,
      nan: NaN,
      Infinity: Infinity,
      inf: Infinity,
      '-Infinity': -Infinity,
      '-inf': -Infinity,
    };
    if (value in special) return special[value];
    if (value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  }
  throw invalid(
    `Got invalid value ${JSON.stringify(value)} for metric '${key}': expected a number`,
  );
}

export function toInteger(what: string, value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
    throw invalid(`Invalid ${what}: expected an integer, got ${JSON.stringify(value)}`);
  }
  return number;
}

export function checkName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0) {
    throw invalid(`${kind} name must be a non-empty string`);
  }
  if (name.length > Limits.entityNameLength) {
    throw invalid(
      `${kind} name '${truncate(name)}' is ${name.length} characters long; the limit is ` +
        `${Limits.entityNameLength}`,
    );
  }
  return name;
}

export function checkMaxResults(value: unknown, fallback: number, limit: number): number {
  if (value === undefined || value === null) return fallback;
  const number = toInteger('max_results', value);
  if (number < 1 || number > limit) {
    throw invalid(`Invalid value ${number} for parameter 'max_results': must be 1 to ${limit}`);
  }
  return number;
}

export function truncate(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length)}...` : text;
}
