import { invalid } from './errors';
import { checkVersion } from './registry/shared';
import { checkName, toInteger, truncate } from './validation';

/** Where a check's reference data came from: a file, or a model version's training dataset. */
export type DriftReferenceKind = 'file' | 'model_version';

/** One column's result, as the report's table shows it. */
export interface DriftCheckColumn {
  column: string;
  kind: string;
  /** Null for a column that was listed but not tested (text, or skipped). */
  test: string | null;
  statistic: number | null;
  /** Null for distance tests, which have no p-value. */
  pValue: number | null;
  threshold: number | null;
  drift: boolean;
}

/** What saveDriftCheck takes. Every field is checked at run time: callers include the server. */
export interface SaveDriftCheck {
  reference: {
    path: string;
    digest: string;
    kind: DriftReferenceKind;
    modelName?: string;
    modelVersion?: string | number;
  };
  current: { path: string; digest: string };
  /** The DriftOptions the check used. */
  options: unknown;
  /** The whole report, as the CLI's --json prints it. */
  report: Record<string, unknown>;
  summary: { drift: boolean; drifted: number; total: number; share: number };
  columns: DriftCheckColumn[];
  createdTime?: number;
}

/** A checked SaveDriftCheck, ready for the database. */
export interface CheckedDriftCheck {
  referencePath: string;
  referenceDigest: string;
  referenceKind: DriftReferenceKind;
  model: { name: string; version: number } | undefined;
  currentPath: string;
  currentDigest: string;
  optionsJson: string;
  reportJson: string;
  summary: SaveDriftCheck['summary'];
  columns: DriftCheckColumn[];
  createdTime: number;
}

/**
 * A report is held in memory three times on its way in (object, JSON text, journal line); past
 * this size something is wrong with it rather than with the data.
 */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

const DIGEST = /^[0-9a-fA-F]{64}$/;
const REFERENCE_KINDS: readonly string[] = ['file', 'model_version'];

/** Checks everything before anything is written, naming the field that is wrong. */
export function checkDriftCheckInput(input: SaveDriftCheck): CheckedDriftCheck {
  const root = requireObject('input', input);
  const reference = requireObject('reference', root.reference);
  const current = requireObject('current', root.current);
  const referenceKind = checkReferenceKind(reference.kind);
  const model = checkReferenceModel(referenceKind, reference);

  const reportJson = toJsonObject('report', root.report);
  const bytes = Buffer.byteLength(reportJson, 'utf8');
  if (bytes > MAX_REPORT_BYTES) {
    throw invalid(`report is ${bytes} bytes of JSON; the limit is ${MAX_REPORT_BYTES}`);
  }

  return {
    referencePath: checkPath('reference.path', reference.path),
    referenceDigest: checkDigest('reference.digest', reference.digest),
    referenceKind,
    model,
    currentPath: checkPath('current.path', current.path),
    currentDigest: checkDigest('current.digest', current.digest),
    optionsJson: toJsonObject('options', root.options ?? {}),
    reportJson,
    summary: checkSummary(root.summary),
    columns: checkColumns(root.columns),
    createdTime: checkCreatedTime(root.createdTime),
  };
}

function checkReferenceKind(value: unknown): DriftReferenceKind {
  if (typeof value !== 'string' || !REFERENCE_KINDS.includes(value)) {
    throw invalid(
      `Invalid reference.kind ${JSON.stringify(value)}: use one of ${REFERENCE_KINDS.join(', ')}`,
    );
  }
  return value as DriftReferenceKind;
}

/** A model version is named exactly when the reference is its training dataset. */
function checkReferenceModel(
  kind: DriftReferenceKind,
  reference: Record<string, unknown>,
): CheckedDriftCheck['model'] {
  if (kind === 'file') {
    if (reference.modelName !== undefined || reference.modelVersion !== undefined) {
      throw invalid(
        "reference.modelName and reference.modelVersion are for a 'model_version' reference only",
      );
    }
    return undefined;
  }
  if (reference.modelVersion === undefined || reference.modelVersion === null) {
    throw invalid("reference.modelVersion is required for a 'model_version' reference");
  }
  return {
    name: checkName('Registered model', checkPath('reference.modelName', reference.modelName)),
    version: checkVersion(reference.modelVersion),
  };
}

function checkSummary(value: unknown): SaveDriftCheck['summary'] {
  const summary = requireObject('summary', value);
  const drifted = checkCount('summary.drifted', summary.drifted);
  const total = checkCount('summary.total', summary.total);
  if (drifted > total) {
    throw invalid(`summary.drifted (${drifted}) is more than summary.total (${total})`);
  }
  const share = summary.share;
  if (typeof share !== 'number' || !(share >= 0 && share <= 1)) {
    throw invalid(`Invalid summary.share ${shown(share)}: expected a number in [0, 1]`);
  }
  return { drift: checkBoolean('summary.drift', summary.drift), drifted, total, share };
}

function checkColumns(value: unknown): DriftCheckColumn[] {
  if (!Array.isArray(value)) throw invalid('columns must be an array of column results');
  const seen = new Set<string>();
  return value.map((item: unknown, index) => {
    const field = `columns[${index}]`;
    const column = requireObject(field, item);
    const name = checkPath(`${field}.column`, column.column);
    if (seen.has(name)) throw invalid(`${field}.column '${truncate(name)}' is listed twice`);
    seen.add(name);
    return {
      column: name,
      kind: checkPath(`${field}.kind`, column.kind),
      test: column.test === null ? null : checkPath(`${field}.test`, column.test),
      statistic: checkScore(`${field}.statistic`, column.statistic),
      pValue: checkScore(`${field}.pValue`, column.pValue, true),
      threshold: checkScore(`${field}.threshold`, column.threshold),
      drift: checkBoolean(`${field}.drift`, column.drift),
    };
  });
}

function checkCreatedTime(value: unknown): number {
  if (value === undefined) return Date.now();
  const time = toInteger('createdTime', value);
  if (time < 0) throw invalid(`Invalid createdTime ${time}: expected milliseconds since 1970`);
  return time;
}

function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

function checkPath(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(`Missing value for required parameter ${field}: expected a non-empty string`);
  }
  return value;
}

/** A sha256 as hex; kept lowercase so that equal files compare equal in SQL. */
function checkDigest(field: string, value: unknown): string {
  if (typeof value !== 'string' || !DIGEST.test(value)) {
    throw invalid(
      `Invalid ${field} '${truncate(String(value))}': expected a sha256 as 64 hex characters`,
    );
  }
  return value.toLowerCase();
}

function checkCount(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(`Invalid ${field} ${shown(value)}: expected a whole number, 0 or more`);
  }
  return value;
}

function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw invalid(`Invalid ${field} ${shown(value)}: expected true or false`);
  }
  return value;
}

/** Null, or a finite number (a probability for p-values): the engine turns NaN into null. */
function checkScore(field: string, value: unknown, probability = false): number | null {
  if (value === null) return null;
  const finite = typeof value === 'number' && Number.isFinite(value);
  if (!finite || (probability && !(value >= 0 && value <= 1))) {
    const range = probability ? 'a number in [0, 1]' : 'a finite number';
    throw invalid(`Invalid ${field} ${shown(value)}: expected null or ${range}`);
  }
  return value;
}

/** JSON would show NaN and Infinity as null, which hides what was wrong. */
function shown(value: unknown): string {
  return truncate(typeof value === 'number' ? String(value) : String(JSON.stringify(value)));
}

function toJsonObject(field: string, value: unknown): string {
  requireObject(field, value);
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw invalid(`${field} cannot be written as JSON: ${(error as Error).message}`);
  }
}
