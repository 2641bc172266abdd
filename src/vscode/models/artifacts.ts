import type { Run } from '../../core/store/entities';

/** A folder of a run's artifacts that could be registered as a model version's source. */
export interface ArtifactFolder {
  /** Relative to the run's artifact root, with `/`; '' is the root itself. */
  path: string;
  /** Holds an MLmodel file, or mlflow logged a model there. */
  hasModel: boolean;
}

/** One folder's entries, as listRunArtifacts gives them: paths relative to the run's root. */
export type ListArtifacts = (path: string) => Array<{ path: string; is_dir: boolean }>;

export interface FolderSearch {
  /** Folders that mlflow.log_model wrote to (the run's log-model history). */
  logged?: string[];
  maxDepth?: number;
  limit?: number;
}

/**
 * The folders a user may register from, those holding a model first. The walk is breadth-first
 * and bounded, because a run can log thousands of files and the quick pick must open at once.
 * Logged model paths are offered even when their files are not on this machine.
 */
export function artifactFolders(list: ListArtifacts, search: FolderSearch = {}): ArtifactFolder[] {
  const { logged = [], maxDepth = 3, limit = 200 } = search;
  const folders = new Map<string, ArtifactFolder>();
  const queue = [{ path: '', depth: 0 }];

  while (queue.length > 0 && folders.size < limit) {
    const { path, depth } = queue.shift()!;
    const entries = list(path);
    const hasModel = entries.some((e) => !e.is_dir && lastSegment(e.path) === 'MLmodel');
    if (path !== '' || hasModel) folders.set(path, { path, hasModel });
    if (depth >= maxDepth) continue;
    for (const entry of entries)
      if (entry.is_dir) queue.push({ path: entry.path, depth: depth + 1 });
  }
  for (const path of logged.map(normalizeArtifactPath)) {
    if (path !== undefined) folders.set(path, { path, hasModel: true });
  }
  return rankFolders([...folders.values()]);
}

/** Models first, then shallower folders, then by path: `model` before `plots/model_v1/data`. */
export function rankFolders(folders: ArtifactFolder[]): ArtifactFolder[] {
  const depth = (f: ArtifactFolder) => (f.path === '' ? 0 : f.path.split('/').length);
  return [...folders].sort(
    (a, b) =>
      Number(b.hasModel) - Number(a.hasModel) ||
      depth(a) - depth(b) ||
      a.path.localeCompare(b.path),
  );
}

/** The artifact paths mlflow.log_model recorded in the run's `mlflow.log-model.history` tag. */
export function loggedModelPaths(run: Run): string[] {
  const history = run.data.tags.find((t) => t.key === 'mlflow.log-model.history')?.value;
  if (!history) return [];
  try {
    const entries = JSON.parse(history) as unknown;
    if (!Array.isArray(entries)) return [];
    return entries
      .map((entry) => (entry as { artifact_path?: unknown })?.artifact_path)
      .filter((path): path is string => typeof path === 'string');
  } catch {
    // The tag is written by clients; a malformed one only means no hint.
    return [];
  }
}

/** A typed artifact path, with `/` and no leading or trailing slash; undefined if it leaves the run. */
export function normalizeArtifactPath(text: string): string | undefined {
  const segments = text
    .trim()
    .replaceAll('\\', '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return undefined;
  return segments.join('/');
}

/** MLflow's model source for a folder of a run: `runs:/<run_id>/<path>`. */
export function modelSource(runId: string, folder: string): string {
  const path = normalizeArtifactPath(folder);
  if (path === undefined) throw new Error(`the artifact path ${folder} leaves the run's artifacts`);
  return path === '' ? `runs:/${runId}` : `runs:/${runId}/${path}`;
}

/** What `mlflow.pyfunc.load_model` takes for a version. */
export function modelUri(name: string, version: string): string {
  return `models:/${name}/${version}`;
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
