import type { Handler, Services } from '../services';
import type { ModelCommandId } from './ids';

/** Handlers of the models view's commands. */
export function modelCommands(_services: Services): Record<ModelCommandId, Handler> {
  return {};
}
