/** The launcher's command ids; package.json declares each (test/unit/manifest.test.ts). */
export const LaunchCommand = {
  launch: 'modelFactory.launch',
  evaluateVersion: 'modelFactory.models.evaluate',
} as const;

export type LaunchCommandId = (typeof LaunchCommand)[keyof typeof LaunchCommand];

/**
 * Where tracked launches record their runs: empty for the workspace store, else the URL of a
 * connection in modelFactory.remote.servers.
 */
export const TRACKING_SERVER_SETTING = 'modelFactory.launch.trackingServer';
