import * as path from 'node:path';
import { escapeMarkdown, type ViewNode } from '../views/node';
import { globToRegExp, matchesAny } from './glob';

/** A workspace folder, as the files' paths are relative to one. */
export interface WorkspaceRoot {
  name: string;
  path: string;
}

export interface FileFilter {
  include: string;
  exclude: string[];
}

const formats: Record<string, string> = {
  '.csv': 'CSV',
  '.tsv': 'TSV',
  '.jsonl': 'JSON Lines',
  '.parquet': 'Parquet',
};

/**
 * One node per data file, sorted by folder then name. Files outside every root, outside the
 * include pattern or inside an exclude pattern are dropped: watcher events report those too.
 * With several roots, the description names the root as well.
 */
export function dataFileNodes(files: string[], roots: WorkspaceRoot[], filter: FileFilter) {
  const include = globToRegExp(filter.include);
  const exclude = filter.exclude.map(globToRegExp);
  const located = files
    .map((file) => locate(file, roots))
    .filter((file): file is Located => file !== undefined)
    .filter((file) => include.test(file.relative) && !matchesAny(file.relative, exclude));
  const unique = new Map(located.map((file) => [file.absolute, file]));
  return [...unique.values()]
    .sort((a, b) => compareFiles(a, b))
    .map((file) => fileNode(file, roots.length > 1));
}

/** Whether a watcher event's file would be listed: events come for excluded folders too. */
export function isDataFile(file: string, roots: WorkspaceRoot[], filter: FileFilter): boolean {
  return dataFileNodes([file], roots, filter).length > 0;
}

interface Located {
  absolute: string;
  /** Relative to its root, with `/`. */
  relative: string;
  root: WorkspaceRoot;
}

/** The root holding the file; the deepest one, when workspace folders nest. */
function locate(file: string, roots: WorkspaceRoot[]): Located | undefined {
  const holders = roots
    .map((root) => ({ root, relative: path.relative(root.path, file) }))
    .filter(
      ({ relative }) => relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative),
    )
    .sort((a, b) => b.root.path.length - a.root.path.length);
  const holder = holders[0];
  if (!holder) return undefined;
  return { absolute: file, relative: holder.relative.split(path.sep).join('/'), root: holder.root };
}

function compareFiles(a: Located, b: Located): number {
  const key = (file: Located) => [
    file.root.name,
    path.posix.dirname(file.relative),
    path.posix.basename(file.relative),
  ];
  const [x, y] = [key(a), key(b)];
  for (let index = 0; index < x.length; index += 1) {
    const order = x[index].localeCompare(y[index], undefined, { sensitivity: 'base' });
    if (order !== 0) return order;
  }
  return a.relative.localeCompare(b.relative);
}

function fileNode(file: Located, showRoot: boolean): ViewNode {
  const name = path.posix.basename(file.relative);
  const folder = path.posix.dirname(file.relative);
  const where = [showRoot ? file.root.name : '', folder === '.' ? '' : folder];
  const extension = path.posix.extname(name).toLowerCase();
  const format = formats[extension] ?? (extension.slice(1).toUpperCase() || 'data');
  return {
    id: `datasetFile:${file.absolute}`,
    label: name,
    description: where.filter(Boolean).join(' · ') || undefined,
    tooltip: `**${escapeMarkdown(file.relative)}**\n\n${escapeMarkdown(format)} file in ${escapeMarkdown(file.root.name)}`,
    contextValue: 'datasetFile',
    collapsible: 'none',
    resourcePath: file.absolute,
    data: { kind: 'dataset', path: file.absolute, name },
  };
}

/**
 * The exclude pattern for one findFiles call: VS Code's globs do not nest braces, so patterns
 * with braces of their own are left to dataFileNodes, which applies every pattern afterwards.
 */
export function scanExclude(exclude: string[]): string | undefined {
  const plain = exclude.filter((pattern) => !/[{}]/.test(pattern));
  if (plain.length === 0) return undefined;
  return plain.length === 1 ? plain[0] : `{${plain.join(',')}}`;
}
