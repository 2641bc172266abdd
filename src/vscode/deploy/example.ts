import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Table } from '../../core/data/types';

/**
 * What "Try it" sends to /invocations: the input example MLflow saved with the model, or the
 * first rows of a data file, as a request body of MLflow's scoring protocol. No `vscode` here:
 * this travels in dist/core.js with the other deploy helpers (see lazy.ts).
 */

export interface ExampleRequest {
  /** The JSON body for POST /invocations. */
  body: string;
  /** Where it came from, for the result document: a file name, or "rows 1-5 of x.csv". */
  source: string;
}

const REQUEST_KEYS = ['dataframe_split', 'dataframe_records', 'inputs', 'instances'];

/**
 * The model's saved example as a request: serving_input_example.json (MLflow 2.16 and later
 * write the request body itself there), else the file MLmodel's saved_input_example_info names,
 * else input_example.json. Undefined when the artifacts hold none.
 */
export function exampleRequest(modelPath: string): ExampleRequest | undefined {
  const folder = statSync(modelPath).isDirectory() ? modelPath : path.dirname(modelPath);
  const mlmodel = readIfExists(path.join(folder, 'MLmodel')) ?? '';

  const serving = yamlValue(mlmodel, 'serving_input_path') ?? 'serving_input_example.json';
  const servingText = readIfExists(path.join(folder, serving));
  if (servingText !== undefined && isRequest(JSON.parse(servingText))) {
    return { body: servingText, source: serving };
  }

  const example = yamlValue(mlmodel, 'artifact_path') ?? 'input_example.json';
  const exampleText = readIfExists(path.join(folder, example));
  if (exampleText === undefined) return undefined;
  return { body: JSON.stringify(asRequest(JSON.parse(exampleText))), source: example };
}

/**
 * An input example as MLflow saves it, wrapped as a request: a DataFrame is saved in pandas'
 * split orient ({"columns", "data"}, sometimes with "index", which the server does not take),
 * records as a list of objects, and anything else (arrays, dicts of tensors) goes as "inputs".
 */
export function asRequest(example: unknown): Record<string, unknown> {
  if (isRequest(example)) return example as Record<string, unknown>;
  if (Array.isArray(example) && example.length > 0 && example.every(isPlainObject)) {
    return { dataframe_records: example };
  }
  if (isPlainObject(example) && Array.isArray(example.columns) && Array.isArray(example.data)) {
    return { dataframe_split: { columns: example.columns, data: example.data } };
  }
  return { inputs: example };
}

/** The first `count` rows of a table as a dataframe_split request; missing values are null. */
export function tableRequest(table: Table, count: number): ExampleRequest {
  const rows = Math.min(count, table.rows);
  const data: unknown[][] = [];
  for (let row = 0; row < rows; row++) {
    data.push(table.columns.map((column) => cellValue(column, row)));
  }
  const columns = table.columns.map((column) => column.name);
  const source = `rows 1-${rows} of ${path.basename(table.path)}`;
  return { body: JSON.stringify({ dataframe_split: { columns, data } }), source };
}

/**
 * The "Try it" document: which model, what was sent, and the predictions, then each input row
 * with its prediction on one line, so that a row and what the model said of it read together.
 * An input that is not a table (tensors, a dict) is shown as it was sent.
 */
export function resultText(
  header: { model: string; url: string; input: string },
  body: string,
  answer: unknown,
): string {
  const predictions = (answer as { predictions?: unknown })?.predictions ?? answer;
  const rows = Array.isArray(predictions) ? requestRows(JSON.parse(body)) : undefined;
  const top = { ...header, predictions };
  if (!rows || rows.length !== (predictions as unknown[]).length) {
    return `${JSON.stringify({ ...top, request: JSON.parse(body) as unknown }, null, 2)}\n`;
  }
  const lines = rows.map((row, i) => {
    const line = JSON.stringify({ ...row, prediction: (predictions as unknown[])[i] });
    return `    ${line}${i < rows.length - 1 ? ',' : ''}`;
  });
  const head = JSON.stringify(top, null, 2).replace(/\n}$/, ',\n');
  return `${head}  "rows": [\n${lines.join('\n')}\n  ]\n}\n`;
}

/** A table request's rows as records; undefined for requests that are not tables. */
function requestRows(request: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const split = request.dataframe_split as { columns?: unknown; data?: unknown } | undefined;
  if (split && Array.isArray(split.columns) && Array.isArray(split.data)) {
    const columns = split.columns as string[];
    return (split.data as unknown[][]).map((values) =>
      Object.fromEntries(columns.map((column, i) => [column, values[i]])),
    );
  }
  const records = request.dataframe_records;
  return Array.isArray(records) && records.every(isPlainObject) ? records : undefined;
}

function cellValue(column: Table['columns'][number], row: number): unknown {
  if (column.type === 'number') {
    const value = column.values[row];
    // JSON has no NaN or Infinity: a missing value is null, as pandas' to_json writes it.
    return Number.isFinite(value) ? value : null;
  }
  const code = column.codes[row];
  if (code < 0) return null;
  const text = column.dictionary[code];
  if (column.boolean && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
  return text;
}

function isRequest(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).some((key) => REQUEST_KEYS.includes(key));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One `key: value` of MLmodel's YAML; its few keys are unique, so a line match is enough. */
function yamlValue(text: string, key: string): string | undefined {
  const match = new RegExp(`^\\s*${key}:\\s*['"]?([^'"\\s]+)['"]?\\s*$`, 'm').exec(text);
  const value = match?.[1];
  // A name only: an MLmodel from elsewhere must not point outside the model's folder.
  return value && !value.includes('..') && !path.isAbsolute(value) ? value : undefined;
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
