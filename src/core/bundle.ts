/**
 * The core modules the extension host uses, built as their own bundle (dist/core.js) and loaded
 * on first use through src/vscode/core.ts: they carry sql.js, zod and the tracking server, about a
 * megabyte that activation would otherwise have to parse.
 */
export { StoreBusyError } from './store/errors';
export { liveOwner } from './store/lock';
export { RunStore } from './store/store';
export { TrackingServer } from './tracking/server';
export { importMlflow } from './tracking/import';
export { listRunArtifacts } from './tracking/artifacts';
// Not core code: the experiments view's vscode-free model and formatting, which load with the
// store rather than with dist/extension.js (see src/vscode/experiments/lazy.ts).
export * as experiments from '../vscode/experiments/lazy';
