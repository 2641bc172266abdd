/**
 * A remote MLflow tracking server: the REST client, and push and pull between it and the store.
 */
export { MlflowClient, type MlflowClientOptions } from './client';
export { RemoteError, isAbort, isAmbiguous, isRemoteError, type RemoteErrorKind } from './errors';
export type { ServerInfo } from './probe';
export type { ArtifactEntry, ArtifactFile } from './api/artifacts';
export { pushToRemote, type PushOptions } from './push';
export { pullFromRemote, type PullOptions } from './pull';
export {
  SOURCE_RUN_TAG,
  SOURCE_VERSION_TAG,
  TransferError,
  emptySummary,
  type RunState,
  type TransferOptions,
  type TransferProgress,
  type TransferSummary,
} from './transfer';
