/**
 * The models view's pure parts: the tree model, tooltips, input checks and the register flow's
 * artifact helpers. They import no `vscode` and are needed only once a store is open, so they
 * travel in dist/core.js (src/vscode/deferred.ts re-exports this file) and load with the store
 * rather than with dist/extension.js; the rest of src/vscode/models reaches them through
 * core().models.
 */
export { allModels, modelsChildren, versionsOf } from './model';
export {
  folderItems,
  recentRunItems,
  runArtifactFolders,
  suggestedModelName,
  versionItem,
} from './picks';
export {
  artifactFolders,
  loggedModelPaths,
  modelSource,
  modelUri,
  normalizeArtifactPath,
} from './artifacts';
export {
  aliasMoveNote,
  aliasProblem,
  modelNameProblem,
  normalizeAlias,
  tagKeyProblem,
  tagValueProblem,
} from './validation';
