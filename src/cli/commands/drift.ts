import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../errors';
import { DataError } from '../../core/data/types';
import { DeployError } from '../../core/deploy/errors';
import { resolveModelVersion } from '../../core/deploy/modelUri';
import { trainingDataOf } from '../../core/drift/trainingData';
import { RunStore } from '../../core/store/store';
import { storeDir } from '../storeDir';
import { checkDrift } from '../../core/drift/check';
import { reportHtml } from '../../core/drift/html';
import { reportJson, reportTable } from '../../core/drift/report';
import { isStatTestName, STAT_TEST_NAMES } from '../../core/drift/stattests';
import type { Correction, DriftOptions } from '../../core/drift/types';

const usage = `Usage: model-factory drift REFERENCE CURRENT [--store DIR] [--test NAME]
                           [--columns a,b] [--categorical a,b] [--numerical a,b]
                           [--threshold X] [--correction none|bonferroni|fdr]
                           [--drift-share X] [--target COL --prediction COL] [--time COL]
                           [--multivariate mmd|none] [--seed N] [--delimiter C]
                           [--json] [--html FILE] [--fail-on-drift]

Compares each column of CURRENT with the same column of REFERENCE (CSV, TSV, JSON Lines or
Parquet) with Evidently's tests and automatic choice of test, and decides whether the dataset
drifted: when at least --drift-share (0.5) of the columns did. --test forces one test on every
column it applies to: ${STAT_TEST_NAMES.join(', ')}.
--threshold replaces every test's own; --correction adjusts the p-values for the number of
columns. Prints a table, or one JSON object with --json; --html also writes a report page.
REFERENCE may also be a model version (models:/NAME/VERSION or models:/NAME@ALIAS in the store
named by --store): the dataset recorded as its training input is the reference.
Exit 0; 1 with --fail-on-drift when the dataset drifted; 2 on a usage or input error.`;

export const driftCommand: Command = {
  name: 'drift',
  summary: 'check a data file for drift against a reference file',
  usage,
  run: drift,
};

async function drift(context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: context.args,
    allowPositionals: true,
    strict: true,
    options: {
      test: { type: 'string' },
      columns: { type: 'string' },
      categorical: { type: 'string' },
      numerical: { type: 'string' },
      threshold: { type: 'string' },
      correction: { type: 'string' },
      'drift-share': { type: 'string' },
      target: { type: 'string' },
      prediction: { type: 'string' },
      time: { type: 'string' },
      multivariate: { type: 'string' },
      seed: { type: 'string' },
      delimiter: { type: 'string' },
      store: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      'fail-on-drift': { type: 'boolean' },
    },
  });
  if (positionals.length !== 2) {
    throw new UsageError('drift takes two files, REFERENCE and CURRENT; see --help');
  }
  const options = driftOptions(values);
  const current = path.resolve(context.cwd, positionals[1]);
  const reference = positionals[0].startsWith('models:/')
    ? await trainingDataPath(positionals[0], values.store, context.cwd)
    : path.resolve(context.cwd, positionals[0]);

  const report = await checkDrift({
    reference,
    current,
    options,
    delimiter: values.delimiter,
  }).catch((error: unknown) => {
    if (error instanceof DataError) throw new UsageError(error.message);
    throw error;
  });

  if (values.html) writeFileSync(path.resolve(context.cwd, values.html), reportHtml(report));
  context.stdout.write(
    values.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : reportTable(report),
  );
  return values['fail-on-drift'] && report.dataset.drift ? ExitCode.drift : ExitCode.ok;
}

/**
 * The training data of a registered version, as the reference: `drift models:/churn@champion
 * new.csv` checks new data against what the champion learned from, so a pipeline needs no copy
 * of it kept by hand.
 */
async function trainingDataPath(uri: string, store: string | undefined, cwd: string) {
  const opened = await RunStore.open(storeDir(store, cwd), { readOnly: true });
  try {
    const version = resolveModelVersion(opened, uri);
    const data = trainingDataOf(opened, version.name, version.version);
    if (!data) {
      throw new UsageError(
        `${uri} (version ${version.version}) has no training dataset recorded on its run; log ` +
          'it with mlflow.log_input when training, or give the reference file instead',
      );
    }
    return data.path;
  } catch (error) {
    if (error instanceof DeployError) throw new UsageError(error.message);
    throw error;
  } finally {
    await opened.close();
  }
}

type Values = Record<string, string | boolean | undefined>;

function driftOptions(values: Values): DriftOptions {
  const test = values.test as string | undefined;
  if (test !== undefined && !isStatTestName(test)) {
    throw new UsageError(`unknown test '${test}'; the tests are ${STAT_TEST_NAMES.join(', ')}`);
  }
  const correction = (values.correction as string | undefined) ?? 'none';
  if (!['none', 'bonferroni', 'fdr'].includes(correction)) {
    throw new UsageError(`--correction takes none, bonferroni or fdr, not '${correction}'`);
  }
  const multivariate = (values.multivariate as string | undefined) ?? 'mmd';
  if (multivariate === 'pca') {
    // FIXME: NannyML's PCA reconstruction error (DESIGN.md's --multivariate pca) is not built;
    // users who ask for it get this error and can use mmd, which tests the same question.
    throw new UsageError('--multivariate pca is not available yet; use mmd (the default) or none');
  }
  if (multivariate !== 'mmd' && multivariate !== 'none') {
    throw new UsageError(`--multivariate takes mmd or none, not '${multivariate}'`);
  }
  if ((values.target === undefined) !== (values.prediction === undefined)) {
    throw new UsageError('--target and --prediction go together: concept drift needs both');
  }
  if (values.time !== undefined && values.target === undefined) {
    throw new UsageError(
      '--time orders the rows for concept drift: give --target and --prediction',
    );
  }
  return {
    test,
    target: values.target as string | undefined,
    prediction: values.prediction as string | undefined,
    time: values.time as string | undefined,
    multivariate,
    columns: list(values.columns),
    categorical: list(values.categorical),
    numerical: list(values.numerical),
    threshold: fraction(values.threshold, '--threshold', false),
    correction: correction as Correction,
    driftShare: fraction(values['drift-share'], '--drift-share', true),
    seed: seed(values.seed),
  };
}

function list(value: string | boolean | undefined): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new UsageError('a column list needs at least one name');
  return names;
}

/** A positive number; at most 1 where it is a share. Distances may exceed 1, so thresholds may. */
function fraction(value: string | boolean | undefined, flag: string, share: boolean) {
  if (typeof value !== 'string') return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number <= 0 || (share && number > 1)) {
    const range = share ? 'a number above 0 and at most 1' : 'a number above 0';
    throw new UsageError(`${flag} takes ${range}, not '${value}'`);
  }
  return number;
}

function seed(value: string | boolean | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 2 ** 32 - 1) {
    throw new UsageError(`--seed takes a whole number from 0 to 4294967295, not '${value}'`);
  }
  return number;
}
