/**
 * The defaults of the datasets settings, as package.json declares them. Apart from files.ts
 * because the view reads them at activation, before the pure modules load with dist/core.js.
 */

/** The default of modelFactory.datasets.include: the formats drift checks read. */
export const DEFAULT_INCLUDE = '**/*.{csv,tsv,jsonl,parquet}';

/** The default of modelFactory.datasets.exclude: the store, dependencies and environments. */
export const DEFAULT_EXCLUDE = [
  '**/.modelfactory/**',
  '**/node_modules/**',
  '**/.venv/**',
  '**/venv/**',
  '**/.git/**',
  '**/__pycache__/**',
];
