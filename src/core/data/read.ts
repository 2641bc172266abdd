import { stat } from 'node:fs/promises';
/**
 * The one entry point for data files: readTable picks the reader by the file's extension (or
 * the format given) and returns typed columns.
 */
import { extname } from 'node:path';
import { readCsv } from './csv';
import { readJsonLines } from './jsonl';
import { readParquet } from './parquet';
import { sniffDelimiter } from './sniff';
import { DataError, type DataFormat, type Table } from './types';

export interface ReadOptions {
  format?: DataFormat;
  /** For CSV and TSV: one ASCII character. By default "," for .csv, tab for .tsv and .tab. */
  delimiter?: string;
  /** For CSV and TSV: whether the first row names the columns (default true). */
  header?: boolean;
  /** Keep only these columns; the others are skipped without being stored. */
  columns?: string[];
  /**
   * Read only the first this many data rows (at least 1) and stop there: a preview or a sample
   * request then costs the first chunk or row group, not the whole file.
   */
  maxRows?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Bytes read at a time from text files (default 1 MiB); small values serve tests. */
  chunkSize?: number;
}

const EXTENSIONS: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.txt': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.parquet': 'parquet',
  '.pq': 'parquet',
};

export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);

/** The format a file's extension names (.txt reads as delimited text; see readTable). */
export function detectFormat(path: string): DataFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (format !== undefined) return format;
  throw new DataError(
    `cannot tell the format of ${path} from its extension. Data files are read when they end ` +
      `in ${SUPPORTED_EXTENSIONS.join(', ')}; rename the file, or give its format.`,
    { path },
  );
}

export async function readTable(path: string, options: ReadOptions = {}): Promise<Table> {
  await checkReadable(path);
  checkMaxRows(options.maxRows);
  const format = options.format ?? detectFormat(path);
  options.signal?.throwIfAborted();
  switch (format) {
    case 'csv':
    case 'tsv': {
      const delimiter = options.delimiter ?? (await defaultDelimiter(path, format));
      const header = options.header ?? true;
      const tableFormat = delimiter === '\t' ? 'tsv' : 'csv';
      return readCsv(path, { ...options, format: tableFormat, delimiter, header });
    }
    case 'jsonl':
      return readJsonLines(path, options);
    case 'parquet':
      return readParquet(path, options);
  }
}

/** "," for .csv, tab for .tsv and .tab; for .txt (or an unknown extension) a sniffed one. */
async function defaultDelimiter(path: string, format: 'csv' | 'tsv'): Promise<string> {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return ',';
  if (extension === '.tsv' || extension === '.tab') return '\t';
  return (await sniffDelimiter(path)) ?? (format === 'tsv' ? '\t' : ',');
}

/** A limit of 0 or less is the caller's bug: JSON Lines would report the file as empty. */
function checkMaxRows(maxRows: number | undefined): void {
  if (maxRows === undefined || (Number.isInteger(maxRows) && maxRows >= 1)) return;
  throw new RangeError(`maxRows must be a whole number of at least 1, not ${maxRows}`);
}

/** A missing file or a folder is the user's mistake: say so plainly, not with a raw ENOENT. */
async function checkReadable(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
    throw new DataError(`${path} ${reason}; check the path`, { path });
  }
  if (info.isDirectory()) {
    throw new DataError(`${path} is a folder, not a data file; name a file in it`, { path });
  }
}
