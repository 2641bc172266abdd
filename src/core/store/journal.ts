import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log';

export type SqlValue = string | number | null;

/** One acknowledged write: statements grouped by SQL text, each with its rows of parameters. */
export interface JournalEntry {
  seq: number;
  groups: Array<[sql: string, rows: SqlValue[][]]>;
}

/**
 * How hard a write is pushed to disk before it is acknowledged. `process`: written to the
 * operating system, so it survives the process being killed at any moment (the promise the store
 * makes). `fsync`: also fdatasync'ed, so it survives power loss too, at the cost of a disk flush
 * per write.
 */
export type Durability = 'process' | 'fsync';

const SEGMENT = /^journal-(\d{12})\.jsonl$/;

/**
 * The write-ahead journal: JSON lines, appended synchronously before a write is acknowledged.
 * It is split into segments so that a snapshot can start a fresh segment at once and delete the
 * older ones only after the snapshot is safely renamed into place.
 */
export class Journal {
  private fd: number | undefined;
  private segmentPath: string | undefined;
  private bytes = 0;

  constructor(
    private readonly dir: string,
    private readonly durability: Durability,
  ) {}

  /** Bytes appended since the last rotation, which decides when a snapshot is due. */
  get size(): number {
    return this.bytes;
  }

  // FIXME: an entry is one JSON string, and V8 strings stop near 512 MiB, so a single write of
  // more than about seven million metric points (an import of one huge run) fails with "Invalid
  // string length" and is refused whole; such a run has to be imported in parts.
  append(entry: JournalEntry): void {
    if (this.fd === undefined) this.openSegment(entry.seq);
    const line = `${JSON.stringify([entry.seq, entry.groups])}\n`;
    const buffer = Buffer.from(line, 'utf8');
    let written = 0;
    while (written < buffer.length) {
      written += fs.writeSync(this.fd!, buffer, written, buffer.length - written);
    }
    if (this.durability === 'fsync') fs.fdatasyncSync(this.fd!);
    this.bytes += buffer.length;
  }

  /** Closes the current segment; the next append starts a new one. Returns the closed ones. */
  rotate(): string[] {
    this.closeSegment();
    return listSegments(this.dir);
  }

  close(): void {
    this.closeSegment();
  }

  private openSegment(firstSeq: number): void {
    const name = `journal-${String(firstSeq).padStart(12, '0')}.jsonl`;
    this.segmentPath = path.join(this.dir, name);
    this.fd = fs.openSync(this.segmentPath, 'a');
    this.bytes = 0;
  }

  private closeSegment(): void {
    if (this.fd === undefined) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = undefined;
    this.segmentPath = undefined;
  }
}

export function listSegments(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => SEGMENT.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

/**
 * Reads every entry of every segment in order. A torn last line (the process died while writing
 * it, so it was never acknowledged) is dropped and, with `repair`, cut off the file; a damaged
 * line anywhere
 * else means the journal cannot be trusted, and opening stops with an error that says so.
 */
export function readJournal(dir: string, logger: Logger, repair = true): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const segment of listSegments(dir)) {
    const text = readIfPresent(segment);
    if (text === undefined) continue;
    let offset = 0;
    let lineNumber = 0;
    while (offset < text.length) {
      const end = text.indexOf('\n', offset);
      lineNumber += 1;
      const entry = end === -1 ? undefined : parseEntry(text.slice(offset, end));
      if (entry === undefined) {
        const rest = end === -1 ? '' : text.slice(end + 1);
        if (rest.length > 0) {
          throw new Error(
            `journal ${segment} is damaged at line ${lineNumber}; move the journal files aside ` +
              'to open the store as of its last snapshot',
          );
        }
        // A reader that does not own the store leaves the file alone: the owner may be writing.
        if (repair) {
          fs.truncateSync(segment, Buffer.byteLength(text.slice(0, offset), 'utf8'));
          logger.warn(`dropped a torn, unacknowledged entry at the end of ${segment}`);
        }
        break;
      }
      entries.push(entry);
      offset = end + 1;
    }
  }
  return entries;
}

function parseEntry(line: string): JournalEntry | undefined {
  try {
    const [seq, groups] = JSON.parse(line) as [number, JournalEntry['groups']];
    if (typeof seq !== 'number' || !Array.isArray(groups)) return undefined;
    return { seq, groups };
  } catch {
    return undefined;
  }
}

/** A segment can vanish between listing and reading when the owner finishes a snapshot. */
function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
