import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import type { Tag } from '../../store/entities';
import { invalid } from '../../store/errors';
import type { MetricPoint } from './source';

/** Reads a meta.yaml as a plain object; a broken one is an error that names the file. */
export async function readYaml(file: string): Promise<Record<string, unknown>> {
  const text = await fs.promises.readFile(file, 'utf8');
  let value: unknown;
  try {
    // Integers as BigInt, so that an id of digits reads back as the same text.
    value = parse(text, { intAsBigInt: true });
  } catch (error) {
    throw invalid(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${file} does not hold the mapping MLflow writes into meta.yaml`);
  }
  return value as Record<string, unknown>;
}

export async function isDirectory(dir: string): Promise<boolean> {
  const stat = await fs.promises.stat(dir).catch(() => undefined);
  return stat?.isDirectory() ?? false;
}

export async function subdirectories(dir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/**
 * The files under a folder of keyed values (metrics/, params/, tags/), with their keys. MLflow
 * turns a `/` in a key into a subfolder, so the key is the path below the folder, `/`-separated
 * on every platform.
 */
export async function keyedFiles(dir: string): Promise<Array<{ key: string; file: string }>> {
  const found: Array<{ key: string; file: string }> = [];
  const walk = async (folder: string, prefix: string) => {
    const entries = await fs.promises.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(file, `${prefix}${entry.name}/`);
      else if (entry.isFile()) found.push({ key: `${prefix}${entry.name}`, file });
    }
  };
  await walk(dir, '');
  return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Params and tags: the file's content is the value, as written, without a trailing newline. */
export async function readKeyedValues(dir: string): Promise<Tag[]> {
  const files = await keyedFiles(dir);
  return Promise.all(
    files.map(async ({ key, file }) => ({ key, value: await fs.promises.readFile(file, 'utf8') })),
  );
}

const INTEGER = /^-?\d+$/;

/**
 * A metric file: one `<timestamp> <value> [<step>]` line per logged value, the value written by
 * Python's str(float) (`nan`, `inf`, `-inf`, `1e-05`). Older files have no step, which is 0.
 */
export function parseMetricLines(key: string, file: string, text: string): MetricPoint[] {
  const points: MetricPoint[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (line === '') continue;
    const fields = line.split(' ');
    const value = fields.length >= 2 ? parseFloatText(fields[1]) : undefined;
    const step = fields.length === 3 ? fields[2] : '0';
    if (
      (fields.length !== 2 && fields.length !== 3) ||
      !INTEGER.test(fields[0]) ||
      value === undefined ||
      !INTEGER.test(step)
    ) {
      throw invalid(
        `Metric '${key}' is malformed: ${file} line ${index + 1} reads "${line.slice(0, 80)}", ` +
          'where MLflow writes "<timestamp> <value> <step>"',
      );
    }
    points.push({ timestamp: Number(fields[0]), value, step: Number(step) });
  }
  return points;
}

function parseFloatText(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === 'infinity' || lower === '+inf') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/.test(lower)) return undefined;
  return Number(text);
}

/** A time or number from YAML or SQL: null when absent, as MLflow leaves it. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

export function toText(value: unknown, fallback = ''): string {
  return value === null || value === undefined ? fallback : String(value);
}

export function toTextOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
