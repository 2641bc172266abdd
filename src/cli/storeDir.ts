import * as path from 'node:path';
import { DEFAULT_STORE_DIR } from '../core/store/store';

/** The store folder a command works on: `--store DIR`, else .modelfactory in the current folder. */
export function storeDir(option: string | undefined, cwd: string): string {
  return path.resolve(cwd, option ?? DEFAULT_STORE_DIR);
}
