import { readTable } from '../data/read';
import { readTableAside } from '../data/readParallel';
import { DataError, type Column, type Table } from '../data/types';
import { conceptDrift } from './concept';
import { compareTables, DEFAULT_SEED, type EngineHooks } from './engine';
import { mmdDrift } from './mmd';
import { createRandom } from './random';
import type { DriftOptions, DriftReport, MultivariateResult } from './types';

export interface DriftCheckRequest {
  reference: string;
  current: string;
  options: DriftOptions;
  /** Passed to the readers: a delimiter for CSV-like files that are neither .csv nor .tsv. */
  delimiter?: string;
}

const MMD_PERMUTATIONS = 100;

/**
 * A whole drift check from two file paths: read both files (only the columns asked for, so
 * memory is bounded by the columns kept), compare them column by column, then the multivariate
 * check and, with a target and a prediction, concept drift. The CLI, the worker and the tests
 * all come through here.
 */
export async function checkDrift(
  request: DriftCheckRequest,
  hooks: EngineHooks = {},
): Promise<DriftReport> {
  const { options } = request;
  const keep = keptColumns(options);
  const read = (path: string, side: 'reference' | 'current', start: number) => {
    const readOptions = {
      columns: keep,
      delimiter: request.delimiter,
      signal: hooks.signal,
      onProgress: (bytesRead: number, totalBytes: number) =>
        hooks.onProgress?.({
          stage: 'reading',
          fraction: start + (totalBytes > 0 ? bytesRead / totalBytes : 1) / 2,
          message: side,
        }),
    };
    // The current file's thread also sorts its numbers, while this one reads the reference.
    return side === 'current'
      ? readTableAside(path, readOptions, { sortNumbers: true })
      : readTable(path, readOptions);
  };

  // Both files at once: the current one in a thread of its own (see readParallel.ts).
  const [reference, current]: Table[] = await Promise.all([
    read(request.reference, 'reference', 0),
    read(request.current, 'current', 0.5),
  ]);
  const report = await compareTables(reference, current, options, hooks);

  if ((options.multivariate ?? 'mmd') === 'mmd') {
    hooks.signal?.throwIfAborted();
    hooks.onProgress?.({ stage: 'multivariate' });
    report.multivariate = multivariate(reference, current, report, options);
  }
  if (options.target !== undefined || options.prediction !== undefined) {
    hooks.signal?.throwIfAborted();
    hooks.onProgress?.({ stage: 'concept' });
    report.concept = concept(reference, current, options);
  }
  hooks.onProgress?.({ stage: 'done', fraction: 1 });
  return report;
}

function keptColumns(options: DriftOptions): string[] | undefined {
  if (!options.columns) return undefined;
  const roles = [options.target, options.prediction, options.time];
  return [...new Set([...options.columns, ...roles.filter((c): c is string => c !== undefined)])];
}

/** MMD over the numerical columns that were tested, standardised by the reference. */
function multivariate(
  reference: Table,
  current: Table,
  report: DriftReport,
  options: DriftOptions,
): MultivariateResult | undefined {
  const names = report.columns
    .filter((c) => c.status === 'tested' && c.kind === 'numerical')
    .map((c) => c.column);
  if (names.length === 0) return undefined;
  const values = (table: Table) => names.map((name) => numbersOf(table, name));

  const result = mmdDrift(values(reference), values(current), {
    random: createRandom(options.seed ?? DEFAULT_SEED),
    permutations: MMD_PERMUTATIONS,
  });
  return {
    test: 'mmd',
    status: result.status,
    columns: names,
    statistic: result.statistic,
    pValue: result.pValue,
    threshold: result.threshold,
    drift: result.drift,
    rowsUsed: result.rowsUsed,
    permutations: MMD_PERMUTATIONS,
    sigma: result.sigma,
  };
}

function numbersOf(table: Table, name: string): Float64Array {
  const column = table.columns.find((c) => c.name === name) as Column;
  return column.type === 'number' ? column.values : new Float64Array(0);
}

function concept(reference: Table, current: Table, options: DriftOptions) {
  if (options.target === undefined || options.prediction === undefined) {
    const given = options.target === undefined ? '--prediction' : '--target';
    throw new DataError(
      `${given} needs its partner: concept drift takes --target and --prediction`,
      {
        path: reference.path,
      },
    );
  }
  try {
    return conceptDrift(reference, current, {
      target: options.target,
      prediction: options.prediction,
      time: options.time,
      seed: options.seed ?? DEFAULT_SEED,
    });
  } catch (error) {
    // The metrics refuse a target and a prediction of different kinds, naming both columns.
    if (error instanceof RangeError) throw new DataError(error.message, { path: current.path });
    throw error;
  }
}
