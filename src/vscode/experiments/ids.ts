/** The experiments view's command ids; package.json declares each (test/unit/manifest.test.ts). */
export const ExperimentCommand = {} as const;

export type ExperimentCommandId = (typeof ExperimentCommand)[keyof typeof ExperimentCommand];
