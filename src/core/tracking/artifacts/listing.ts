import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalid } from '../../store/errors';
import {
  UPLOAD_TEMP,
  isInside,
  realpathOrUndefined,
  resolveSegments,
  splitRelative,
  statOrUndefined,
} from './paths';

/** One entry of a listing, as MLflow's `FileInfo`: `file_size` only for files. */
export interface ArtifactFile {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/**
 * The entries of one folder under root, named by their own names and sorted as MLflow sorts
 * them (by code point). A missing folder, or a path naming a file, lists as empty, as MLflow's
 * local artifact repository does. Links that lead out of the root, and dangling ones, are left
 * out: they could be neither read nor listed, so showing them would only offer broken entries.
 */
export function listFolder(root: string, segments: string[]): Array<ArtifactFile> {
  const dir = resolveSegments(root, segments);
  const realRoot = realpathOrUndefined(root);
  if (realRoot === undefined || !statOrUndefined(dir)?.isDirectory()) {
    return [];
  }

  const files: ArtifactFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (UPLOAD_TEMP.test(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) {
      const real = realpathOrUndefined(full);
      if (real === undefined || !isInside(realRoot, real)) continue;
    }
    const stat = statOrUndefined(full);
    if (stat?.isDirectory()) files.push({ path: entry.name, is_dir: true });
    else if (stat?.isFile()) files.push({ path: entry.name, is_dir: false, file_size: stat.size });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * For MLflow's GET /api/2.0/mlflow/artifacts/list?run_id=&path= : lists a run's artifacts given
 * the run's artifact_uri (mlflow-artifacts:/... or a local file:// URI or a plain absolute path
 * for imported runs). Returns { root_uri, files: [{path, is_dir, file_size?}] } with paths
 * relative to the run's artifact root (e.g. 'model/weights.json'), as MLflow does.
 */
export function listRunArtifacts(
  root: string,
  artifactUri: string,
  subPath?: string,
): { root_uri: string; files: ArtifactFile[] } {
  const location = runArtifactLocation(root, artifactUri);
  const segments = splitRelative(subPath ?? '');

  const prefix = segments.length > 0 ? `${segments.join('/')}/` : '';
  const files = listFolder(location.root, [...location.segments, ...segments]).map((file) => ({
    ...file,
    path: prefix + file.path,
  }));
  return { root_uri: artifactUri, files };
}

/**
 * Where a run's artifacts live on disk, as a root that confines every access and the names
 * below it. A proxied URI (`mlflow-artifacts:/0/<run>/artifacts`, with or without a host) is
 * confined to the artifacts root; a local folder named by a file:// URI or an absolute path is
 * confined to itself, since nothing above it belongs to the run.
 */
export function runArtifactLocation(
  root: string,
  artifactUri: string,
): { root: string; segments: string[] } {
  const proxied = /^mlflow-artifacts:(\/\/[^/]*)?(.*)$/i.exec(artifactUri);
  if (proxied) {
    const uriPath = proxied[2].replace(/^\/+/, '').split(/[?#]/)[0];
    return { root, segments: splitRelative(uriPath) };
  }
  if (/^file:/i.test(artifactUri)) {
    try {
      return { root: fileURLToPath(artifactUri), segments: [] };
    } catch {
      throw invalid(`the artifact URI ${artifactUri} is not a local file URI`);
    }
  }
  if (isAbsolutePath(artifactUri)) return { root: artifactUri, segments: [] };
  throw invalid(
    `the artifacts at ${artifactUri} are not stored on this machine; ` +
      'list them with the tool of the store that holds them',
  );
}

/** A plain absolute path, on this platform; a URI with a scheme (s3://) is not one. */
function isAbsolutePath(uri: string): boolean {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(uri)) return false;
  return path.isAbsolute(uri);
}
