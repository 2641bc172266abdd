/**
 * Every id that package.json declares, in one place. test/unit/manifest.test.ts checks these
 * against package.json both ways, so a renamed command cannot silently lose its handler.
 */
import { DatasetCommand } from './datasets/ids';
import { DeployCommand } from './deploy/ids';
import { DriftCommand } from './drift/ids';
import { ExperimentCommand } from './experiments/ids';
import { LaunchCommand, TRACKING_SERVER_SETTING } from './launch/ids';
import { ModelCommand } from './models/ids';
import { PanelCommand } from './panels/ids';
import { RemoteCommand, SERVERS_SETTING } from './remote/ids';

export const ContainerId = 'modelFactory';

export const ViewId = {
  experiments: 'modelFactory.experiments',
  models: 'modelFactory.models',
  datasets: 'modelFactory.datasets',
  servers: 'modelFactory.servers',
} as const;

/** Commands that belong to no one view. */
export const CoreCommand = {
  showLog: 'modelFactory.showLog',
  openExample: 'modelFactory.openExample',
  importRuns: 'modelFactory.importRuns',
  showServerInfo: 'modelFactory.showServerInfo',
} as const;

/**
 * Every command id, from the values of each feature's table: spreading the tables into one object
 * would let two features' keys (both `refresh`) silently drop one command.
 */
export const allCommandIds = [
  ...Object.values(CoreCommand),
  ...Object.values(ExperimentCommand),
  ...Object.values(ModelCommand),
  ...Object.values(DatasetCommand),
  ...Object.values(LaunchCommand),
  ...Object.values(PanelCommand),
  ...Object.values(DriftCommand),
  ...Object.values(RemoteCommand),
  ...Object.values(DeployCommand),
];

export const SettingId = {
  storePath: 'modelFactory.store.path',
  experimentsKeyMetric: 'modelFactory.experiments.keyMetric',
  datasetsInclude: 'modelFactory.datasets.include',
  datasetsExclude: 'modelFactory.datasets.exclude',
  traceServer: 'modelFactory.trace.server',
  launchTrainPatterns: 'modelFactory.launch.trainPatterns',
  launchEvaluatePatterns: 'modelFactory.launch.evaluatePatterns',
  pythonPath: 'modelFactory.python.path',
  remoteServers: SERVERS_SETTING,
  launchTrackingServer: TRACKING_SERVER_SETTING,
} as const;

type Values<T> = T[keyof T];
export type CommandId =
  | Values<typeof CoreCommand>
  | Values<typeof ExperimentCommand>
  | Values<typeof ModelCommand>
  | Values<typeof DatasetCommand>
  | Values<typeof LaunchCommand>
  | Values<typeof PanelCommand>
  | Values<typeof DriftCommand>
  | Values<typeof RemoteCommand>
  | Values<typeof DeployCommand>;
