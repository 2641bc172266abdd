/** The store folder's default name, in the workspace or the current folder (no dependencies). */
export const DEFAULT_STORE_DIR = '.modelfactory';
