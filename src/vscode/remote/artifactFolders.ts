import type { Run } from '../../core/store/entities';
import { proxiedArtifactPath, type ArtifactEntry } from '../../core/tracking/remote/api/artifacts';
import { artifactFolders, loggedModelPaths, type ArtifactFolder } from '../models/artifacts';

/** How deep, and how many folders, the listing of a remote run's artifacts goes. */
const MAX_DEPTH = 2;
const MAX_LISTINGS = 30;

/**
 * The folders of a remote run's artifacts to register a version from, those holding a model
 * first, as the local register flow offers them. The server's listing is read folder by folder,
 * so the walk is shallower than the local one. A run whose artifacts the server does not proxy
 * (s3://, a path on the server) still offers the folders mlflow logged models to, with why the
 * rest are missing.
 */
export async function remoteArtifactFolders(
  artifacts: { list(path: string): Promise<ArtifactEntry[]> },
  run: Run,
): Promise<{ folders: ArtifactFolder[]; reason?: string }> {
  const logged = loggedModelPaths(run);
  const root = proxiedArtifactPath(run.info.artifactUri);
  if (root === undefined) {
    const reason = `the artifacts are at ${run.info.artifactUri}, which the server does not serve`;
    return { folders: artifactFolders(() => [], { logged }), reason };
  }

  const listings = new Map<string, Array<{ path: string; is_dir: boolean }>>();
  let reason: string | undefined;
  try {
    await walk(artifacts, root, listings);
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  const list = (path: string) => listings.get(path) ?? [];
  return { folders: artifactFolders(list, { logged, maxDepth: MAX_DEPTH }), reason };
}

/** Breadth-first, as artifactFolders walks, so it finds every listing it asks for. */
async function walk(
  artifacts: { list(path: string): Promise<ArtifactEntry[]> },
  root: string,
  listings: Map<string, Array<{ path: string; is_dir: boolean }>>,
): Promise<void> {
  const queue = [{ path: '', depth: 0 }];
  while (queue.length > 0 && listings.size < MAX_LISTINGS) {
    const { path, depth } = queue.shift()!;
    const entries = await artifacts.list(path ? `${root}/${path}` : root);
    const relative = entries.map((entry) => ({
      path: path ? `${path}/${entry.path}` : entry.path,
      is_dir: entry.isDir,
    }));
    listings.set(path, relative);
    if (depth >= MAX_DEPTH) continue;
    for (const entry of relative)
      if (entry.is_dir) queue.push({ path: entry.path, depth: depth + 1 });
  }
}
