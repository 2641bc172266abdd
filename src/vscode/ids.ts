/**
 * Every id that package.json declares, in one place. test/unit/manifest.test.ts checks these
 * against package.json both ways, so a renamed command cannot silently lose its handler.
 */
import { DatasetCommand } from './datasets/ids';
import { ExperimentCommand } from './experiments/ids';
import { ModelCommand } from './models/ids';

export const ContainerId = 'modelFactory';

export const ViewId = {
  experiments: 'modelFactory.experiments',
  models: 'modelFactory.models',
  datasets: 'modelFactory.datasets',
} as const;

/** Commands that belong to no one view. */
export const CoreCommand = {
  showLog: 'modelFactory.showLog',
  openExample: 'modelFactory.openExample',
  importRuns: 'modelFactory.importRuns',
  showServerInfo: 'modelFactory.showServerInfo',
} as const;

export const CommandId = {
  ...CoreCommand,
  ...ExperimentCommand,
  ...ModelCommand,
  ...DatasetCommand,
} as const;

export const SettingId = {
  storePath: 'modelFactory.store.path',
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];
