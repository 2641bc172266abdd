import type { ModelVersion, Run } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import { listRunArtifacts } from '../../core/tracking/artifacts';
import { ago, formatMetric } from '../views/node';
import { artifactFolders, loggedModelPaths, type ArtifactFolder } from './artifacts';

/**
 * The quick pick items of the models commands, as plain data: building them needs the store
 * but not `vscode`, so they load with the store (lazy.ts) and are tested without VS Code.
 */

/** The most recent runs of all active experiments, newest first, with their key metrics. */
export function recentRunItems(store: RunStore, limit = 100) {
  const experiments = store.searchExperiments({ maxResults: 1000 }).items;
  const names = new Map(experiments.map((e) => [e.experimentId, e.name]));
  const runs = store.searchRuns({
    experimentIds: [...names.keys()],
    maxResults: limit,
    orderBy: ['attributes.start_time DESC'],
  }).items;
  return runs.map((run) => ({
    label: run.info.runName,
    description: [names.get(run.info.experimentId), run.info.status, ago(run.info.startTime)]
      .filter(Boolean)
      .join(' · '),
    detail: run.data.metrics
      .slice(0, 4)
      .map((m) => `${m.key} ${formatMetric(m.value)}`)
      .join(' · '),
    runId: run.info.runId,
  }));
}

/**
 * The folders of a run's artifacts to register from. A run whose artifacts are elsewhere
 * (imported from s3, say) still offers the folders mlflow logged models to, and says why the
 * rest are missing.
 */
export function runArtifactFolders(store: RunStore, run: Run) {
  const logged = loggedModelPaths(run);
  try {
    const list = (path: string) =>
      listRunArtifacts(store.artifactsDir, run.info.artifactUri, path).files;
    return { folders: artifactFolders(list, { logged }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { folders: artifactFolders(() => [], { logged }), reason };
  }
}

export function folderItems(folders: ArtifactFolder[]) {
  return folders.map((folder) => ({
    label: `$(${folder.hasModel ? 'package' : 'folder'}) ${folder.path || '(artifact root)'}`,
    description: folder.hasModel ? 'MLmodel' : undefined,
    folder: folder.path as string | undefined,
  }));
}

export function versionItem(version: ModelVersion) {
  const aliases = version.aliases.map((alias) => `@${alias}`).join(' ');
  return {
    label: `Version ${version.version}`,
    description: [aliases, ago(version.creationTimestamp)].filter(Boolean).join(' · '),
    detail: version.source,
  };
}

/** The run's experiment names the model by default: `iris` trains the `iris` model. */
export function suggestedModelName(store: RunStore, run: Run): string {
  try {
    return store.getExperiment(run.info.experimentId).name;
  } catch {
    return 'model';
  }
}
