/**
 * The datasets view's pure parts: file grouping and exclusion, globs and the run-input nodes.
 * Like src/vscode/models/lazy.ts, they travel in dist/core.js and are reached through
 * core().datasets, so that activation does not parse them.
 */
export { dataFileNodes, isDataFile, scanExclude } from './files';
export { datasetsChildren } from './model';
