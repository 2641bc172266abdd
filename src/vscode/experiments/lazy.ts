/**
 * The experiments view's pure parts: the tree model, the run summaries, the CSV export and the
 * input checks. They import no `vscode` and are needed only once a store is open, so they travel
 * in dist/core.js (src/vscode/deferred.ts re-exports this file) and load with the store instead of
 * at activation; the rest of src/vscode/experiments reaches them through core().experiments.
 */
export { ExperimentsModel, orderBy } from './model';
export { metricKeys } from './stats';
export { runsCsv } from './table';
export { checkName, parseTag, validateExperimentName, validateFilter } from './input';
