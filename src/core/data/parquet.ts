/**
 * Parquet files into typed columns, with hyparquet (pure JavaScript, so nothing native to
 * build for each platform) and hyparquet-compressors for gzip, zstd, brotli and lz4. Only the
 * kept columns are read, one row group at a time, so memory follows the columns kept plus one
 * row group's pages.
 *
 * Types: integers and floats become numeric columns (integer only for INT32/INT64 without
 * gaps, as pandas types them); booleans, strings, enums, UUIDs and JSON become string columns;
 * dates and timestamps become ISO 8601 text; lists, maps and structs become their JSON text.
 */
import { ValueColumnBuilder } from './valueColumn';
import { keptColumns } from './header';
import { DataError, type Table } from './types';

export interface ParquetOptions {
  columns?: string[];
  /** Stop after this many rows: only the row groups that hold them are read. */
  maxRows?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

// hyparquet is an ES module; this CommonJS code loads it with import(), which also keeps it
// out of the way until a Parquet file is read.
const loadHyparquet = () => import('hyparquet');
type Hyparquet = Awaited<ReturnType<typeof loadHyparquet>>;
type Metadata = Awaited<ReturnType<Hyparquet['parquetMetadataAsync']>>;
type AsyncBuffer = Awaited<ReturnType<Hyparquet['asyncBufferFromFile']>>;
type Element = Metadata['schema'][number];

export async function readParquet(path: string, options: ParquetOptions): Promise<Table> {
  const hyparquet = await loadHyparquet();
  const { compressors } = await import('hyparquet-compressors');
  const file = await hyparquet.asyncBufferFromFile(path);
  const metadata = await readMetadata(hyparquet, file, path);

  const fields = hyparquet.parquetSchema(metadata).children.map((child) => child.element);
  const names = fields.map((field) => field.name);
  const kept = keptColumns(path, names, options.columns);
  const rows = Math.min(Number(metadata.num_rows), options.maxRows ?? Infinity);
  const builders = kept.map((index) => new ValueColumnBuilder(names[index], rows));

  let groupStart = 0;
  for (const group of metadata.row_groups) {
    if (groupStart >= rows) break;
    options.signal?.throwIfAborted();
    // The last group read may be cut short; appendChunks keeps only the rows up to groupEnd.
    const groupEnd = Math.min(groupStart + Number(group.num_rows), rows);
    const chunks: ColumnChunk[] = [];
    await hyparquet
      .parquetRead({
        file,
        metadata,
        compressors,
        columns: kept.map((index) => names[index]),
        rowStart: groupStart,
        rowEnd: groupEnd,
        parsers: { dateFromDays: isoDate },
        onChunk: (chunk) => chunks.push(chunk),
      })
      .catch((error: Error) => {
        throw new DataError(
          `cannot read row group at row ${groupStart} of ${path}: ${error.message}. The file ` +
            'may be damaged, or use a Parquet feature that is not supported here.',
          { path },
        );
      });
    builders.forEach((builder) => appendChunks(builder, chunks, groupStart, groupEnd));
    groupStart = groupEnd;
    options.onProgress?.(
      Math.round((file.byteLength * groupEnd) / Math.max(rows, 1)),
      file.byteLength,
    );
  }

  const columns = builders.map((builder, k) => builder.finish(isIntegerType(fields[kept[k]])));
  return { path, format: 'parquet', rows: groupStart, columns };
}

interface ColumnChunk {
  columnName: string;
  columnData: ArrayLike<unknown>;
  rowStart: number;
  rowEnd: number;
}

async function readMetadata(hyparquet: Hyparquet, file: AsyncBuffer, path: string) {
  try {
    return await hyparquet.parquetMetadataAsync(file);
  } catch (error) {
    throw new DataError(
      `${path} is not a readable Parquet file (${(error as Error).message}). Check that the ` +
        'file is complete; a file still being written has no footer yet.',
      { path },
    );
  }
}

/** Appends a column's rows of one row group, in row order, from the chunks hyparquet gave. */
function appendChunks(
  builder: ValueColumnBuilder,
  chunks: ColumnChunk[],
  groupStart: number,
  groupEnd: number,
) {
  const own = chunks
    .filter((chunk) => chunk.columnName === builder.name)
    .sort((a, b) => a.rowStart - b.rowStart);
  let next = groupStart;
  for (const chunk of own) {
    const from = Math.max(next, chunk.rowStart);
    const to = Math.min(groupEnd, chunk.rowEnd);
    if (from > next) break;
    if (to > from) builder.pushAll(chunk.columnData, from - chunk.rowStart, to - chunk.rowStart);
    next = Math.max(next, to);
  }
  if (next !== groupEnd) {
    throw new Error(`hyparquet gave rows up to ${next} of column ${builder.name}, not ${groupEnd}`);
  }
}

/** Stored as integers: pandas reads such a column without gaps as int64. */
function isIntegerType(element: Element): boolean {
  if (element.type !== 'INT32' && element.type !== 'INT64') return false;
  const converted = element.converted_type;
  const logical = element.logical_type?.type;
  if (logical !== undefined && logical !== 'INTEGER') return false;
  return converted === undefined || converted.startsWith('INT_') || converted.startsWith('UINT_');
}

function isoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}
