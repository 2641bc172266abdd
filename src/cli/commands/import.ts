import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Logger } from '../../core/log';
import { DEFAULT_STORE_DIR, RunStore } from '../../core/store/store';
import { importMlflow, type ImportSummary } from '../../core/tracking/import';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../errors';

const usage = `Usage: model-factory import PATH [--store DIR]

Imports an MLflow store into the Model Factory store: PATH is an mlruns folder (MLflow's file
store) or an mlflow.db file (its SQLite store). Runs keep their ids; runs already in the store are
skipped, so importing the same PATH again adds nothing. Local artifacts are copied.

Options:
  --store DIR   the folder holding the store's mlflow.db (default: .modelfactory)`;

export const importCommand: Command = {
  name: 'import',
  summary: 'import an MLflow mlruns folder or mlflow.db into the store',
  usage,
  run: runImport,
};

async function runImport(context: CommandContext): Promise<number> {
  const { source, storeDir } = parse(context);
  if (!fs.existsSync(source)) {
    throw new UsageError(`${source} does not exist; name an mlruns folder or an mlflow.db file`);
  }

  const logger = warningsTo(context.stderr);
  const store = await RunStore.open(storeDir, { logger });
  // Ctrl+C stops between runs, so the store closes with every whole run imported so far saved.
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  let summary: ImportSummary;
  try {
    summary = await importMlflow(store, source, { logger, signal: abort.signal });
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    context.stderr.write(
      'model-factory: import interrupted; the runs imported so far are kept, and importing ' +
        'again carries on from there\n',
    );
    return ExitCode.usage;
  } finally {
    process.off('SIGINT', stop);
    await store.close();
  }

  context.stdout.write(`${describe(summary, source, storeDir)}\n`);
  return ExitCode.ok;
}

function parse(context: CommandContext): { source: string; storeDir: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: context.args,
      options: { store: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see 'model-factory import --help'`);
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      'import takes one PATH, an mlruns folder or an mlflow.db file; see --help',
    );
  }
  return {
    source: path.resolve(context.cwd, parsed.positionals[0]),
    storeDir: path.resolve(context.cwd, parsed.values.store ?? DEFAULT_STORE_DIR),
  };
}

/** Warnings (a skipped folder, a dataset not found) and errors go to stderr; the rest is quiet. */
function warningsTo(stderr: Writable): Logger {
  const write = (level: string) => (message: string | Error) =>
    stderr.write(
      `model-factory: ${level}: ${message instanceof Error ? message.message : message}\n`,
    );
  const quiet = () => undefined;
  return { trace: quiet, debug: quiet, info: quiet, warn: write('warning'), error: write('error') };
}

/** One line, as people say it: "imported 3 experiments, 12 runs (0 skipped), ...". */
export function describe(summary: ImportSummary, source: string, storeDir: string): string {
  const count = (n: number, one: string, many = `${one}s`) =>
    `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  return (
    `imported ${count(summary.experiments, 'experiment')}, ` +
    `${count(summary.runs, 'run')} (${summary.skippedRuns.toLocaleString('en-US')} skipped), ` +
    `${count(summary.metrics, 'metric point')}, ${count(summary.params, 'param')}, ` +
    `${count(summary.tags, 'tag')}, ${count(summary.models, 'model')}, ` +
    `${count(summary.versions, 'version')}, ${count(summary.artifacts, 'artifact file')} ` +
    `from ${source} into ${storeDir}`
  );
}
