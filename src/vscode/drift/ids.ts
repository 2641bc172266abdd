/** The drift feature's command ids, settings and memory keys; package.json declares each. */
export const DriftCommand = {
  checkDrift: 'modelFactory.checkDrift',
  checkDriftWithOptions: 'modelFactory.checkDriftWithOptions',
  checkDriftForVersion: 'modelFactory.models.checkDrift',
  chooseReference: 'modelFactory.chooseDriftReference',
  openDriftCheck: 'modelFactory.openDriftCheck',
  retrain: 'modelFactory.retrainOnData',
} as const;

export type DriftCommandId = (typeof DriftCommand)[keyof typeof DriftCommand];

export const DriftSetting = {
  test: 'modelFactory.drift.test',
  threshold: 'modelFactory.drift.threshold',
  correction: 'modelFactory.drift.correction',
  driftShare: 'modelFactory.drift.driftShare',
  target: 'modelFactory.drift.target',
  prediction: 'modelFactory.drift.prediction',
  retrainDataParameter: 'modelFactory.retrain.dataParameter',
} as const;

/** workspaceState: the reference chosen for each data file, by its absolute path. */
export const REFERENCES_KEY = 'modelFactory.drift.references';
/** workspaceState: the options last used for each data file. */
export const OPTIONS_KEY = 'modelFactory.drift.options';
/** workspaceState: the training entry point chosen for retraining, once asked. */
export const RETRAIN_TARGET_KEY = 'modelFactory.retrain.target';
