import type { Experiment, Tag } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import type { NodeData, ViewNode } from '../views/node';

/**
 * What the experiments commands take in, checked before anything is sent to the store: the
 * validateInput checks of their input boxes, and the tree items they are invoked on. Pure, so
 * it is unit-tested.
 */

/** MLflow's limits on names, tag keys and run tag values. */
const NAME_LIMIT = 256;
const KEY_LIMIT = 250;
const TAG_VALUE_LIMIT = 5000;

export type ExperimentData = Extract<NodeData, { kind: 'experiment' }>;
export type RunData = Extract<NodeData, { kind: 'run' }>;

export function checkName(value: string, what: 'experiment' | 'run'): string | undefined {
  const name = value.trim();
  if (!name) return `Enter a name for the ${what}.`;
  if (name.length > NAME_LIMIT) {
    return `A ${what} name has at most ${NAME_LIMIT} characters; this one has ${name.length}.`;
  }
  return undefined;
}

export function findExperiment(store: RunStore, name: string): Experiment | undefined {
  try {
    return store.getExperimentByName(name);
  } catch {
    return undefined;
  }
}

/** Refuses empty, too long and taken names; keeping `currentName` is allowed (and a no-op). */
export function validateExperimentName(
  store: RunStore,
  value: string,
  currentName?: string,
): string | undefined {
  const problem = checkName(value, 'experiment');
  if (problem) return problem;
  const name = value.trim();
  if (name === currentName) return undefined;

  const existing = findExperiment(store, name);
  if (!existing) return undefined;
  return existing.lifecycleStage === 'deleted'
    ? `The deleted experiment "${name}" has this name: restore it, or pick another name.`
    : `An experiment named "${name}" already exists.`;
}

/** Runs the filter on the store for one row: the store's own parser is the one to satisfy. */
export function validateFilter(store: RunStore, value: string): string | undefined {
  if (value.trim() === '') return undefined;
  try {
    store.searchRuns({ experimentIds: ['0'], filter: value, maxResults: 1 });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** `key=value`; the value may be empty, and may itself contain "=". */
export function parseTag(value: string): Tag | string {
  const at = value.indexOf('=');
  if (at < 0) return 'Write the tag as key=value.';
  const key = value.slice(0, at).trim();
  const tagValue = value.slice(at + 1).trim();
  if (!key) return 'Put the tag key before the "=".';
  if (key.length > KEY_LIMIT) return `A tag key has at most ${KEY_LIMIT} characters.`;
  if (key.startsWith('/') || key.includes('..')) {
    return 'A tag key may not start with "/" or contain "..".';
  }
  if (tagValue.length > TAG_VALUE_LIMIT) {
    return `A tag value has at most ${TAG_VALUE_LIMIT} characters; this one has ${tagValue.length}.`;
  }
  return { key, value: tagValue };
}

/** A command's argument as NodeData: a tree item (context menu) or its data (item click). */
export function nodeData(arg: unknown): NodeData | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  if ('data' in arg) return (arg as ViewNode).data;
  return 'kind' in arg ? (arg as NodeData) : undefined;
}

export function experimentArg(arg: unknown): ExperimentData | undefined {
  const data = nodeData(arg);
  return data?.kind === 'experiment' ? data : undefined;
}

/**
 * The runs a context-menu command acts on. VS Code passes the clicked item and the selection;
 * the selection counts only when it holds the clicked item, as in the Explorer.
 */
export function selectedRuns(arg: unknown, selected?: unknown): RunData[] {
  const clicked = arg as ViewNode | undefined;
  const inSelection =
    Array.isArray(selected) && selected.some((node: ViewNode) => node?.id === clicked?.id);
  const nodes: unknown[] = inSelection ? selected : arg ? [arg] : [];
  return nodes.map(nodeData).filter((data): data is RunData => data?.kind === 'run');
}
