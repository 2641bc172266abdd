/** The launcher's command ids; package.json declares each (test/unit/manifest.test.ts). */
export const LaunchCommand = {
  launch: 'modelFactory.launch',
  evaluateVersion: 'modelFactory.models.evaluate',
} as const;

export type LaunchCommandId = (typeof LaunchCommand)[keyof typeof LaunchCommand];
