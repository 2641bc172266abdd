import { reportFailure } from '../log';
import type { Handler, Services } from '../services';
import * as experiments from './experimentActions';
import { ExperimentCommand as C, type ExperimentCommandId } from './ids';
import * as runs from './runActions';
import * as view from './viewActions';

/**
 * A handler that reports its failure: what went wrong (the store's message names the field or
 * the run) and what to do about it, with a button that opens the log.
 */
function guarded(action: string, advice: string, handler: Handler): Handler {
  return async (...args: unknown[]) => {
    try {
      await handler(...args);
    } catch (error) {
      await reportFailure(action, error, advice);
    }
  };
}

const REFRESH = 'Refresh the Experiments view and try again.';

/** Handlers of the experiments view's commands. */
export function experimentCommands(s: Services): Record<ExperimentCommandId, Handler> {
  return {
    [C.createExperiment]: guarded('Creating the experiment', 'Pick another name.', () =>
      experiments.createExperiment(s),
    ),
    [C.renameExperiment]: guarded('Renaming the experiment', REFRESH, (arg) =>
      experiments.renameExperiment(s, arg),
    ),
    [C.deleteExperiment]: guarded(
      'Deleting the experiment',
      'The Default experiment cannot be deleted; for others, refresh the view and try again.',
      (arg) => experiments.deleteExperiment(s, arg),
    ),
    [C.restoreExperiment]: guarded('Restoring the experiment', REFRESH, (arg) =>
      experiments.restoreExperiment(s, arg),
    ),
    [C.setActiveExperiment]: guarded('Setting the active experiment', REFRESH, (arg) =>
      experiments.setActiveExperiment(s, arg),
    ),
    [C.filterRuns]: guarded('Filtering runs', 'Check the filter syntax.', () => view.filterRuns(s)),
    [C.sortRuns]: guarded('Sorting runs', REFRESH, () => view.sortRuns(s)),
    [C.clearFilter]: guarded('Clearing the filter', REFRESH, () => view.clearFilter(s)),
    [C.showDeleted]: guarded('Showing deleted runs', REFRESH, () => view.showDeleted(s, true)),
    [C.hideDeleted]: guarded('Hiding deleted runs', REFRESH, () => view.showDeleted(s, false)),
    [C.showMore]: guarded('Showing more runs', REFRESH, (arg) => view.showMore(s, arg)),
    [C.refreshExperiments]: guarded('Refreshing the view', 'See the log.', () =>
      view.refreshView(s),
    ),
    [C.exportRuns]: guarded(
      'Exporting runs',
      'Pick a folder you can write to, or close the file if another program has it open.',
      (arg) => view.exportRuns(s, arg),
    ),
    [C.revealStore]: guarded('Revealing the store folder', 'Check modelFactory.store.path.', () =>
      view.revealStore(s),
    ),
    [C.openRun]: guarded('Opening the run', REFRESH, (arg) => runs.openRun(s, arg)),
    [C.renameRun]: guarded('Renaming the run', 'Deleted runs must be restored first.', (arg) =>
      runs.renameRun(s, arg),
    ),
    [C.tagRun]: guarded('Tagging the run', 'Deleted runs must be restored first.', (arg, sel) =>
      runs.tagRuns(s, arg, sel),
    ),
    [C.deleteRun]: guarded('Deleting the run', REFRESH, (arg, sel) => runs.deleteRuns(s, arg, sel)),
    [C.restoreRun]: guarded('Restoring the run', 'Restore its experiment first.', (arg, sel) =>
      runs.restoreRuns(s, arg, sel),
    ),
    [C.copyRunId]: guarded('Copying the run id', REFRESH, (arg, sel) => runs.copyRunIds(arg, sel)),
    [C.copyModelUri]: guarded('Copying the model URI', REFRESH, (arg) => runs.copyModelUri(s, arg)),
    [C.compareRuns]: guarded('Comparing runs', REFRESH, (arg, sel) =>
      runs.compareRuns(s, arg, sel),
    ),
  };
}
