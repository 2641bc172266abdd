import type { Handler, Services } from '../services';
import type { DatasetCommandId } from './ids';

/** Handlers of the datasets view's commands. */
export function datasetCommands(_services: Services): Record<DatasetCommandId, Handler> {
  return {};
}
