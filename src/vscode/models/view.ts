import type { DisposableScope } from '../disposable';
import type { Services } from '../services';

/** Creates the models tree view and keeps it live from store events. */
export function registerModelsView(_services: Services, _scope: DisposableScope): void {}
