/**
 * The MLflow servers view's command ids; package.json declares each (test/unit/manifest.test.ts).
 */
export const RemoteCommand = {
  // In the command palette as well as in the views.
  connectServer: 'modelFactory.connectServer',
  disconnectServer: 'modelFactory.disconnectServer',
  pushRun: 'modelFactory.pushRun',
  pushExperiment: 'modelFactory.pushExperiment',
  pullRun: 'modelFactory.pullRun',
  pullExperiment: 'modelFactory.pullExperiment',
  pushModelVersion: 'modelFactory.pushModelVersion',
  // Only in the view: they act on the item they are invoked on.
  refreshServers: 'modelFactory.servers.refresh',
  showMore: 'modelFactory.servers.showMore',
  openRun: 'modelFactory.servers.openRun',
  showRunSummary: 'modelFactory.servers.showRunSummary',
  openVersion: 'modelFactory.servers.openVersion',
  showVersionSummary: 'modelFactory.servers.showVersionSummary',
  setAlias: 'modelFactory.servers.setAlias',
  deleteAlias: 'modelFactory.servers.deleteAlias',
  setTag: 'modelFactory.servers.setTag',
  registerVersion: 'modelFactory.servers.registerVersion',
} as const;

export type RemoteCommandId = (typeof RemoteCommand)[keyof typeof RemoteCommand];

/** The setting that lists the connections: names and URLs, never a secret. */
export const SERVERS_SETTING = 'modelFactory.remote.servers';

/** SecretStorage key of one server's credentials, by its URL (as shown, without any password). */
export function secretKey(url: string): string {
  return `modelFactory.remote.credentials:${url}`;
}

/** The URI scheme of the read-only run and version summaries opened from the view. */
export const REMOTE_RUN_SCHEME = 'model-factory-remote';
