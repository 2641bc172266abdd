/** The models view's command ids; package.json declares each (test/unit/manifest.test.ts). */
export const ModelCommand = {} as const;

export type ModelCommandId = (typeof ModelCommand)[keyof typeof ModelCommand];
