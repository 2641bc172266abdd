import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MlflowSource, SourceRun } from './source';

/** The store's own URI for a run's artifacts, which it serves from its artifacts folder. */
export function storeArtifactUri(experimentId: number, runId: string): string {
  return `mlflow-artifacts:/${experimentId}/${runId}/artifacts`;
}

export function storeArtifactDir(artifactsDir: string, experimentId: number, runId: string) {
  return path.join(artifactsDir, String(experimentId), runId, 'artifacts');
}

/**
 * The local folder holding a run's artifacts, if there is one: what its artifact URI names (a
 * `file://` URI, a plain path, or `mlflow-artifacts:/` when the server's folder sits beside the
 * database), else the run's own `artifacts/` folder in a file store, which is where they are when
 * the mlruns folder was moved since the runs were logged.
 */
export function findLocalArtifacts(run: SourceRun, source: MlflowSource): string | undefined {
  const fromUri = localPath(run.artifactUri, source);
  return [fromUri, ...run.artifactDirs].find(
    (dir): dir is string => dir !== undefined && isDirectory(dir),
  );
}

/**
 * Whether the URI points at this machine (or nowhere), so that the store takes the run's
 * artifacts over. Remote stores (s3://, gs://, ...) keep their URI: the artifacts stay there.
 */
export function isLocalUri(uri: string): boolean {
  return uri === '' || /^(file|mlflow-artifacts):/i.test(uri) || schemeOf(uri) === undefined;
}

/**
 * Copies a run's artifact folder and returns how many files it held. Symbolic links are copied
 * as the files they point to, since the store serves nothing that leads out of its folder; a link
 * that leads nowhere is left out.
 */
export async function copyArtifacts(from: string, to: string): Promise<number> {
  if (path.resolve(from) === path.resolve(to)) return countFiles(to);
  await fs.promises.rm(to, { recursive: true, force: true });
  await fs.promises.mkdir(path.dirname(to), { recursive: true });
  await fs.promises.cp(from, to, {
    recursive: true,
    force: true,
    dereference: true,
    filter: (source) => fs.existsSync(source),
  });
  return countFiles(to);
}

function localPath(uri: string, source: MlflowSource): string | undefined {
  if (uri === '') return undefined;
  if (/^file:/i.test(uri)) {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  if (/^mlflow-artifacts:/i.test(uri)) {
    if (!source.proxiedArtifactsDir) return undefined;
    // mlflow-artifacts:/path, or mlflow-artifacts://host:port/path
    const rest = uri.replace(/^mlflow-artifacts:(\/\/[^/]*)?/i, '');
    return path.join(source.proxiedArtifactsDir, ...rest.split('/').filter(Boolean));
  }
  if (schemeOf(uri) !== undefined) return undefined;
  return path.resolve(source.baseDir, uri);
}

/** A URI's scheme; a Windows drive letter (C:\) is a path, not a scheme. */
function schemeOf(uri: string): string | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri);
  if (!match || /^[a-zA-Z]:[\\/]/.test(uri)) return undefined;
  return match[1].toLowerCase();
}

function isDirectory(dir: string): boolean {
  return fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

async function countFiles(dir: string): Promise<number> {
  const entries = await fs.promises.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).length;
}
