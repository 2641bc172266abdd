import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Run } from '../../store/entities';
import type { RunStore } from '../../store/store';
import { listFolder, runArtifactLocation } from '../artifacts/listing';
import { resolveInside, resolveSegments } from '../artifacts/paths';
import { proxiedArtifactPath } from './api/artifacts';
import type { MlflowClient } from './client';
import type { Tally } from './transfer';

/**
 * A run's artifacts across the wire, compared file by file on their paths and sizes: a file the
 * other side has with the same size is not sent again, which makes a second copy cheap and lets
 * a copy that stopped carry on.
 *
 * FIXME: a file changed without changing its size is not copied again; artifacts are written
 * once by MLflow's clients, so this only bites someone who rewrites artifacts in place.
 */

export interface LocalArtifact {
  /** Relative to the run's artifact folder, '/' between names. */
  path: string;
  size: number;
  file: string;
}

/** The run's artifact folder in the store and its files, or undefined when it is elsewhere. */
export function localArtifacts(
  store: RunStore,
  artifactUri: string,
): { dir: string; files: LocalArtifact[] } | undefined {
  let location: { root: string; segments: string[] };
  try {
    location = runArtifactLocation(store.artifactsDir, artifactUri);
  } catch {
    return undefined;
  }
  const files: LocalArtifact[] = [];
  collect(location.root, location.segments, '', files);
  return { dir: resolveSegments(location.root, location.segments), files };
}

function collect(root: string, segments: string[], prefix: string, into: LocalArtifact[]): void {
  for (const entry of listFolder(root, segments)) {
    const inner = [...segments, entry.path];
    if (entry.is_dir) collect(root, inner, `${prefix}${entry.path}/`, into);
    else {
      const file = resolveSegments(root, inner);
      into.push({ path: prefix + entry.path, size: entry.file_size ?? 0, file });
    }
  }
}

/** Uploads the local run's artifacts the remote run lacks; returns files and bytes sent. */
export async function pushArtifacts(
  tally: Tally,
  store: RunStore,
  local: Run,
  remote: MlflowClient,
  remoteRun: Run,
): Promise<{ artifacts: number; artifactBytes: number }> {
  const sent = { artifacts: 0, artifactBytes: 0 };
  const source = localArtifacts(store, local.info.artifactUri);
  if (!source) {
    if (local.info.artifactUri) {
      tally.warn(
        `run ${local.info.runId}: its artifacts at ${local.info.artifactUri} are not in the store; not pushed`,
      );
    }
    return sent;
  }
  if (source.files.length === 0) return sent;
  const target = proxiedArtifactPath(remoteRun.info.artifactUri);
  if (target === undefined) {
    tally.warn(
      `run ${local.info.runId}: ${remote.url} keeps artifacts at ${remoteRun.info.artifactUri}, ` +
        `which its REST API does not serve (mlflow server --serve-artifacts does); ` +
        `${source.files.length} artifact files not pushed`,
    );
    return sent;
  }

  const present = new Map<string, number>();
  for await (const file of remote.artifacts.walk(target)) present.set(file.path, file.size);
  for (const file of source.files) {
    if (present.get(file.path) === file.size) continue;
    await remote.artifacts.upload(`${target}/${file.path}`, file.file);
    sent.artifacts += 1;
    sent.artifactBytes += file.size;
  }
  return sent;
}

export interface StagedArtifacts {
  dir: string;
  files: Array<{ path: string; size: number }>;
  bytes: number;
}

/**
 * Downloads the remote run's artifacts that `have` lacks (path → size) into `stagingDir`, a
 * folder of the store beside its artifacts, so that nothing reaches the run's folder until the
 * whole run has arrived. Undefined when the remote does not serve the run's artifacts.
 */
export async function stageArtifacts(
  tally: Tally,
  remote: MlflowClient,
  remoteRun: Run,
  have: Map<string, number>,
  stagingDir: string,
): Promise<StagedArtifacts | undefined> {
  const { runId, artifactUri } = remoteRun.info;
  const source = proxiedArtifactPath(artifactUri);
  if (source === undefined) {
    if (artifactUri) {
      tally.warn(
        `run ${runId}: its artifacts at ${artifactUri} are not served by ${remote.url}; not pulled`,
      );
    }
    return undefined;
  }
  const staged: StagedArtifacts = { dir: stagingDir, files: [], bytes: 0 };
  for await (const file of remote.artifacts.walk(source)) {
    if (have.get(file.path) === file.size) continue;
    let target: string;
    try {
      target = resolveInside(stagingDir, file.path);
    } catch {
      tally.warn(
        `run ${runId}: the artifact path ${JSON.stringify(file.path)} is unsafe; not pulled`,
      );
      continue;
    }
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await remote.artifacts.download(`${source}/${file.path}`, target);
    const { size } = await fs.promises.stat(target);
    staged.files.push({ path: file.path, size });
    staged.bytes += size;
  }
  return staged;
}

/** Moves staged files into the run's artifact folder, replacing what is there. */
export async function installArtifacts(staged: StagedArtifacts, runDir: string): Promise<void> {
  for (const file of staged.files) {
    const target = resolveInside(runDir, file.path);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.rename(resolveInside(staged.dir, file.path), target);
  }
}
