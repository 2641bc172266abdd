import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The MLproject a script belongs to: the nearest one in the script's folder or above it, without
 * leaving the workspace folder. A script launched on its own then records its run in the
 * project's experiment, as the project's entry points do, and not in Default. Outside a
 * workspace only the script's own folder is looked at, so no stray MLproject above it counts.
 */
export function nearestMlproject(scriptPath: string, workspaceFolder?: string): string | undefined {
  const root = workspaceFolder ? path.resolve(workspaceFolder) : undefined;
  let dir = path.dirname(path.resolve(scriptPath));
  for (;;) {
    const found = mlprojectIn(dir);
    if (found) return found;
    const parent = path.dirname(dir);
    if (!root || parent === dir || !isInside(parent, root)) return undefined;
    dir = parent;
  }
}

/** MLproject first, as MLflow looks for it, then MLproject.yaml. */
function mlprojectIn(dir: string): string | undefined {
  for (const name of ['MLproject', 'MLproject.yaml']) {
    const file = path.join(dir, name);
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

function isInside(dir: string, root: string): boolean {
  const relative = path.relative(root, dir);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
