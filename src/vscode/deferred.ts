/**
 * What the extension host loads on first use rather than at activation, built as its own bundle
 * (dist/core.js) and reached through core() in src/vscode/core.ts: the core modules, which carry
 * sql.js, zod and the tracking server (about a megabyte), and the views' vscode-free models and
 * formatting, which are needed only once a store is open. Nothing here may import `vscode`.
 */
export { StoreBusyError } from '../core/store/errors';
export { liveOwner } from '../core/store/lock';
export { RunStore } from '../core/store/store';
export { TrackingServer } from '../core/tracking/server';
export { importMlflow } from '../core/tracking/import';
export { listRunArtifacts } from '../core/tracking/artifacts';
export * as experiments from './experiments/lazy';
export * as models from './models/lazy';
export * as datasets from './datasets/lazy';
export * as launch from '../core/projects/launchApi';
export * as panels from './panels/lazy';
export * as drift from './drift/lazy';
export * as remote from './remote/lazy';
export * as deploy from './deploy/lazy';
