/** The datasets view's command ids; package.json declares each (test/unit/manifest.test.ts). */
export const DatasetCommand = {
  refreshDatasets: 'modelFactory.datasets.refresh',
  revealInExplorer: 'modelFactory.datasets.revealInExplorer',
  copyDigest: 'modelFactory.datasets.copyDigest',
} as const;

export type DatasetCommandId = (typeof DatasetCommand)[keyof typeof DatasetCommand];
