/**
 * The drift feature's pure parts: where a model version's training data is, the Datasets view's
 * nodes for stored checks, and the report conversions. No `vscode` import: they travel in
 * dist/core.js (src/vscode/deferred.ts re-exports this file) and are reached through
 * core().drift, like the other views' lazy modules.
 */
import * as path from 'node:path';
import type { DriftCheckSummary } from '../../core/store/driftChecks';
import type { RunStore } from '../../core/store/store';
import { ago, escapeMarkdown, type ViewNode } from '../views/node';

export { DriftWorkerClient, DriftCheckError } from '../../core/drift/client';
export { reportHtml } from '../../core/drift/html';
export { reportJson, verdictLine } from '../../core/drift/report';
export { fileDigest } from '../../core/data/digest';
export { STAT_TEST_NAMES } from '../../core/drift/stattests';
export { parseMlproject } from '../../core/projects/mlproject';
export { trainingDataOf, type TrainingData } from '../../core/drift/trainingData';

/** The tag a retrain run carries: the drift check that caused it. */
export const DRIFT_CHECK_TAG = 'model_factory.drift_check';

/** "drift 3/8" or "no drift 0/8", for tree descriptions. */
export function verdictText(check: Pick<DriftCheckSummary, 'drift' | 'drifted' | 'total'>): string {
  return `${check.drift ? 'drift' : 'no drift'} ${check.drifted}/${check.total}`;
}

/** A stored check under its data file in the Datasets view; clicking opens it. */
export function driftCheckNode(check: DriftCheckSummary, now = Date.now()): ViewNode {
  const reference =
    check.reference.kind === 'model_version'
      ? `${check.reference.modelName} v${check.reference.modelVersion}`
      : path.basename(check.reference.path);
  return {
    id: `drift:${check.checkId}`,
    label: `${verdictText(check)} vs ${reference}`,
    description: ago(check.createdTime, now),
    tooltip: escapeMarkdown(
      `Checked against ${check.reference.path}; ${check.drifted} of ${check.total} columns drifted.`,
    ),
    contextValue: 'driftCheck',
    collapsible: 'none',
    icon: { id: check.drift ? 'warning' : 'pass' },
    command: {
      command: 'modelFactory.openDriftCheck',
      title: 'Open Drift Check',
      arguments: [check.checkId],
    },
  };
}

/**
 * The data file nodes with their checks: a file that has checks can be expanded to them, and
 * says its latest verdict.
 */
export function withDriftChecks(store: RunStore | undefined, files: ViewNode[]): ViewNode[] {
  if (!store) return files;
  const latest = latestChecksByFile(store);
  return files.map((file) => {
    const filePath = file.data?.kind === 'dataset' ? file.data.path : undefined;
    const check = filePath === undefined ? undefined : latest(filePath);
    if (!check) return file;
    const description = [file.description, verdictText(check)].filter(Boolean).join(' · ');
    return { ...file, description, collapsible: 'collapsed' };
  });
}

const RECENT_CHECKS = 1000;

/**
 * The latest check of each file, from one read of the newest checks rather than a query per
 * file (a workspace lists up to 2,000 files, and the view repaints while runs log). A file
 * absent from those is asked for on its own only when the read may have been cut short.
 */
function latestChecksByFile(store: RunStore) {
  const recent = store.listDriftChecks({ maxResults: RECENT_CHECKS });
  const byFile = new Map<string, DriftCheckSummary>();
  for (const check of recent)
    if (!byFile.has(check.current.path)) byFile.set(check.current.path, check);
  const complete = recent.length < RECENT_CHECKS;
  return (file: string) =>
    byFile.get(file) ??
    (complete ? undefined : store.listDriftChecks({ currentPath: file, maxResults: 1 })[0]);
}

export function driftCheckNodes(store: RunStore, filePath: string, now = Date.now()): ViewNode[] {
  return store.listDriftChecks({ currentPath: filePath }).map((c) => driftCheckNode(c, now));
}
