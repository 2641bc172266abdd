import * as path from 'node:path';

/**
 * Content types for downloaded artifacts, chosen by name. MLflow's UI previews text, JSON,
 * images and tables from these responses, so the common kinds get their own type; anything else
 * is served as bytes. Text types say utf-8 so a browser never has to guess the encoding.
 */
const TEXT = 'text/plain; charset=utf-8';

const BY_EXTENSION: Record<string, string> = {
  txt: TEXT,
  log: TEXT,
  err: TEXT,
  out: TEXT,
  cfg: TEXT,
  conf: TEXT,
  ini: TEXT,
  properties: TEXT,
  toml: TEXT,
  yaml: TEXT,
  yml: TEXT,
  md: 'text/markdown; charset=utf-8',
  rst: TEXT,
  py: TEXT,
  r: TEXT,
  sh: TEXT,
  ipynb: 'application/json',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv; charset=utf-8',
  tsv: 'text/tab-separated-values; charset=utf-8',
  xml: 'application/xml',
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  bmp: 'image/bmp',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
  parquet: 'application/vnd.apache.parquet',
  gz: 'application/gzip',
  zip: 'application/zip',
};

/** Files MLflow writes without an extension that are YAML text (as MLflow's server treats them). */
const TEXT_NAMES = new Set(['mlmodel', 'mlproject', 'license', 'readme']);

export function contentTypeFor(file: string): string {
  const name = path.basename(file).toLowerCase();
  if (TEXT_NAMES.has(name)) return TEXT;
  const extension = path.extname(name).slice(1);
  return BY_EXTENSION[extension] ?? 'application/octet-stream';
}

/**
 * Headers sent with every download. Responses stay inline because the UI fetches artifacts to
 * preview them; nosniff stops a browser from reading bytes as another type, and the policy makes
 * an HTML or SVG artifact inert (no script, no requests, a sandboxed origin) if one is opened
 * directly.
 */
export const DOWNLOAD_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
} as const;
