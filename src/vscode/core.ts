import type * as Core from './deferred';

let loaded: typeof Core | undefined;

/**
 * The core bundle, loaded the first time a feature needs it rather than at activation. esbuild
 * leaves './core.js' to be resolved at run time, beside dist/extension.js.
 */
export function core(): typeof Core {
  loaded ??= require('./core.js') as typeof Core;
  return loaded;
}
