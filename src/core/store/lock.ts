import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StoreBusyError } from './errors';
import type { Logger } from '../log';

/** What the lock file says about the process that owns a store. */
export interface LockOwner {
  pid: number;
  hostname: string;
  address?: string;
  /**
   * The server's bearer token, so that a second window or the CLI on this machine can use the
   * owner's server. The lock file is written readable by its user only (mode 0600).
   */
  token?: string;
  since: number;
}

export const LOCK_FILE = 'store.lock';

/**
 * One owner per store. The lock file is created exclusively; when it already exists and names a
 * live process on this host, opening fails with StoreBusyError carrying that process's server
 * address. A lock left by a dead process is taken over.
 */
export class StoreLock {
  private constructor(
    private readonly file: string,
    private owner: LockOwner,
  ) {}

  static acquire(dir: string, logger: Logger): StoreLock {
    const file = path.join(dir, LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, hostname: os.hostname(), since: Date.now() };
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
        return new StoreLock(file, owner);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readLock(file);
      if (current && isAlive(current)) throw new StoreBusyError(current.pid, current.address, dir);
      removeDeadLock(file, current, logger);
    }
    throw new Error(`could not take the store lock ${file}; another process keeps taking it`);
  }

  /** Records where this owner's tracking server listens, for a second window or CLI. */
  setAddress(address: string | undefined, token?: string): void {
    this.owner = { ...this.owner, address, token };
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.owner), { mode: 0o600 });
    fs.renameSync(temporary, this.file);
  }

  release(): void {
    const current = readLock(this.file);
    if (current?.pid === this.owner.pid && current.hostname === this.owner.hostname) {
      fs.rmSync(this.file, { force: true });
    }
  }
}

/**
 * Removes a lock whose owner is dead. Two processes may find the same dead lock at once; a
 * takeover directory (mkdir is atomic) lets only one of them remove it, so neither can delete the
 * fresh lock the other has just written. A takeover directory older than a few seconds was left
 * by a process that died mid-takeover and is cleared.
 */
function removeDeadLock(file: string, dead: LockOwner | undefined, logger: Logger): void {
  const takeover = `${file}.takeover`;
  try {
    fs.mkdirSync(takeover);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = Date.now() - (fs.statSync(takeover, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (age > 5000) fs.rmSync(takeover, { recursive: true, force: true });
    pause(20);
    return;
  }
  try {
    const current = readLock(file);
    if (JSON.stringify(current) === JSON.stringify(dead)) {
      logger.info(`taking over the store lock left by process ${dead?.pid ?? 'unknown'}`);
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(takeover, { recursive: true, force: true });
  }
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function readLock(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Reads who owns the store in `dir`, if a live process does. */
export function liveOwner(dir: string): LockOwner | undefined {
  const owner = readLock(path.join(dir, LOCK_FILE));
  return owner && isAlive(owner) ? owner : undefined;
}

function isAlive(owner: LockOwner): boolean {
  // A lock from another host (a shared folder) cannot be checked; treat it as live.
  if (owner.hostname !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
