import type { DisposableScope } from '../disposable';
import { registerDatasetsView } from '../datasets/view';
import { registerExperimentsView } from '../experiments/view';
import { registerModelsView } from '../models/view';
import { registerServersView } from '../remote/view';
import type { Services } from '../services';

/** The views of the Model Factory container. */
export function registerViews(services: Services, scope: DisposableScope): void {
  registerExperimentsView(services, scope);
  registerModelsView(services, scope);
  registerDatasetsView(services, scope);
  registerServersView(services, scope);
}
