/** The experiments view's command ids; package.json declares each (test/unit/manifest.test.ts). */
export const ExperimentCommand = {
  // In the command palette as well as in the view.
  createExperiment: 'modelFactory.createExperiment',
  renameExperiment: 'modelFactory.renameExperiment',
  deleteExperiment: 'modelFactory.deleteExperiment',
  restoreExperiment: 'modelFactory.restoreExperiment',
  setActiveExperiment: 'modelFactory.setActiveExperiment',
  filterRuns: 'modelFactory.filterRuns',
  sortRuns: 'modelFactory.sortRuns',
  compareRuns: 'modelFactory.compareRuns',
  exportRuns: 'modelFactory.exportRuns',
  revealStore: 'modelFactory.revealStore',
  // Only in the view: they act on the item they are invoked on.
  refreshExperiments: 'modelFactory.experiments.refresh',
  clearFilter: 'modelFactory.experiments.clearFilter',
  showDeleted: 'modelFactory.experiments.showDeleted',
  hideDeleted: 'modelFactory.experiments.hideDeleted',
  showMore: 'modelFactory.experiments.showMore',
  openRun: 'modelFactory.experiments.openRun',
  renameRun: 'modelFactory.experiments.renameRun',
  tagRun: 'modelFactory.experiments.tagRun',
  deleteRun: 'modelFactory.experiments.deleteRun',
  restoreRun: 'modelFactory.experiments.restoreRun',
  copyRunId: 'modelFactory.experiments.copyRunId',
  copyModelUri: 'modelFactory.experiments.copyModelUri',
} as const;

export type ExperimentCommandId = (typeof ExperimentCommand)[keyof typeof ExperimentCommand];

/** Context keys the view sets, for the when-clauses of its title buttons. */
export const ExperimentContext = {
  /** A filter or a sort is set, so the "clear" button shows. */
  filtered: 'modelFactory.experiments.filtered',
  showingDeleted: 'modelFactory.experiments.showingDeleted',
} as const;

/** workspaceState key of the experiment new runs go to. */
export const ACTIVE_EXPERIMENT_KEY = 'modelFactory.activeExperiment';
