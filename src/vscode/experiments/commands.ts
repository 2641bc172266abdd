import type { Handler, Services } from '../services';
import type { ExperimentCommandId } from './ids';

/** Handlers of the experiments view's commands. */
export function experimentCommands(_services: Services): Record<ExperimentCommandId, Handler> {
  return {};
}
