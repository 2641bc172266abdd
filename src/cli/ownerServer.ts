import os from 'node:os';
import { liveOwner } from '../core/store/lock';

/** The tracking server of the process that owns a store, as its lock file names it. */
export interface OwnerServer {
  pid: number;
  url: string;
  token: string;
}

/**
 * The server of the process that owns the store in `dir` (a VS Code window, or
 * `model-factory serve`), when it serves the store on this machine and left its address and
 * token in the lock file (readable by this user only). A command that writes can then go
 * through that server instead of being refused, and the owner stays the store's only writer.
 */
export function ownerServer(dir: string): OwnerServer | undefined {
  const owner = liveOwner(dir);
  if (!owner?.address || !owner.token || owner.hostname !== os.hostname()) return undefined;
  return { pid: owner.pid, url: owner.address, token: owner.token };
}
