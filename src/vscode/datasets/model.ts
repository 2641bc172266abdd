import type { StoreSource } from '../models/model';
import { storeStateMessage } from '../models/state';
import { messageNode, type ViewNode } from '../views/node';
import { driftCheckNodes, withDriftChecks } from '../drift/lazy';
import { datasetRunNodes, recordedDatasetNode, recordedDatasets } from './inputs';

export const FILES_GROUP = 'datasets:files';
export const RECORDED_GROUP = 'datasets:recorded';

/** The data files of the last scan of the workspace. */
export interface FileScan {
  files: ViewNode[];
  /** The scan stopped at `limit` files, so some are not shown. */
  truncated: boolean;
  limit: number;
}

/**
 * The datasets view's content: the workspace's data files, and the datasets runs recorded as
 * inputs, as two groups. With neither, it is empty, so the view's welcome content shows.
 */
export function datasetsChildren(
  scan: FileScan,
  source: StoreSource,
  parent?: ViewNode,
  now = Date.now(),
): ViewNode[] {
  if (!parent) return rootNodes(scan, source);
  if (parent.id === FILES_GROUP) return withDriftChecks(source.runStore, fileChildren(scan));
  if (parent.id === RECORDED_GROUP) return recordedChildren(source);
  const data = parent.data;
  if (data?.kind === 'dataset' && data.path && !data.experimentId && source.runStore) {
    return driftCheckNodes(source.runStore, data.path, now);
  }
  if (
    data?.kind === 'dataset' &&
    data.experimentId &&
    data.digest !== undefined &&
    source.runStore
  ) {
    const dataset = { experimentId: data.experimentId, name: data.name, digest: data.digest };
    return datasetRunNodes(source.runStore, dataset, now);
  }
  return [];
}

function rootNodes(scan: FileScan, source: StoreSource): ViewNode[] {
  const groups: ViewNode[] = [];
  if (scan.files.length > 0) {
    const count = scan.truncated ? `${scan.files.length}+` : String(scan.files.length);
    groups.push(group(FILES_GROUP, 'Data files', count, 'files', 'expanded'));
  }
  const message = storeStateMessage(source.state, 'recorded datasets');
  const recorded = message || !source.runStore ? [] : recordedDatasets(source.runStore);
  if (message || recorded.length > 0) {
    const count = message ? undefined : String(recorded.length);
    groups.push(group(RECORDED_GROUP, 'Recorded as run inputs', count, 'database', 'collapsed'));
  }
  return groups;
}

function fileChildren(scan: FileScan): ViewNode[] {
  if (!scan.truncated) return scan.files;
  const note = messageNode(
    'datasets:truncated',
    `Only the first ${scan.limit} files are shown`,
    'Narrow modelFactory.datasets.include, or add folders to modelFactory.datasets.exclude.',
  );
  return [...scan.files, note];
}

function recordedChildren(source: StoreSource): ViewNode[] {
  const message = storeStateMessage(source.state, 'recorded datasets');
  if (message) return [message];
  if (!source.runStore) return [];
  return recordedDatasets(source.runStore).map(recordedDatasetNode);
}

function group(
  id: string,
  label: string,
  description: string | undefined,
  icon: string,
  collapsible: ViewNode['collapsible'],
): ViewNode {
  return { id, label, description, contextValue: id, icon: { id: icon }, collapsible };
}
