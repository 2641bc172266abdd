/** The datasets view's command ids; package.json declares each (test/unit/manifest.test.ts). */
export const DatasetCommand = {} as const;

export type DatasetCommandId = (typeof DatasetCommand)[keyof typeof DatasetCommand];
