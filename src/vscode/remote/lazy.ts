/**
 * The MLflow servers feature's parts that load with dist/core.js rather than at activation
 * (src/vscode/deferred.ts re-exports this file as core().remote): the REST client, push and pull,
 * and the view's vscode-free model and texts.
 */
export {
  MlflowClient,
  TransferError,
  isRemoteError,
  pullFromRemote,
  pushToRemote,
} from '../../core/tracking/remote';
export { parseServerUrl } from '../../core/tracking/remote/connection';
export { RemoteTreeModel } from './model';
export { describeProgress, describeSummary, runMarkdown, versionMarkdown } from './summary';
export { remoteArtifactFolders } from './artifactFolders';
