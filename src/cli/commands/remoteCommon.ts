import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { Logger } from '../../core/log';
import { RunStore } from '../../core/store/store';
import {
  MlflowClient,
  pullFromRemote,
  pushToRemote,
  TransferError,
  type TransferProgress,
  type TransferSummary,
} from '../../core/tracking/remote';
import { parseServerUrl } from '../../core/tracking/remote/connection';
import type { CommandContext } from '../command';
import { ExitCode, UsageError } from '../errors';
import { storeDir } from '../storeDir';

/** What push and pull share: their options, the client, progress lines and the summary. */
export type Direction = 'push' | 'pull';

export interface RemoteArgs {
  url: string;
  storeDir: string;
  experiment?: string;
  runId?: string;
  models: boolean;
  client: MlflowClient;
}

export const AUTH_HELP = `Authentication: --token, else MLFLOW_TRACKING_TOKEN (a bearer token); or
MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic authentication, which MLflow's own
client prefers when both are set). https trusts the system's certificate authorities, and those
in --ca-file, else in MLFLOW_TRACKING_SERVER_CERT_PATH.`;

const urlFlag = { push: 'to', pull: 'from' } as const;

export function parseRemoteArgs(context: CommandContext, direction: Direction): RemoteArgs {
  const flag = urlFlag[direction];
  let values;
  try {
    ({ values } = parseArgs({
      args: context.args,
      options: {
        [flag]: { type: 'string' },
        store: { type: 'string' },
        token: { type: 'string' },
        'ca-file': { type: 'string' },
        experiment: { type: 'string' },
        run: { type: 'string' },
        models: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see 'model-factory ${direction} --help'`);
  }
  const url = values[flag] as string | undefined;
  if (!url) throw new UsageError(`${direction} needs --${flag} URL, the MLflow server's address`);
  try {
    parseServerUrl(url);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const caFile = caFileOf(values['ca-file'] as string | undefined, context);
  return {
    url,
    storeDir: storeDir(values.store as string | undefined, context.cwd),
    experiment: values.experiment as string | undefined,
    runId: values.run as string | undefined,
    models: values.models === true,
    client: new MlflowClient({ url, caFile, ...credentials(values.token as string, context.env) }),
  };
}

export function caFileOf(option: string | undefined, context: CommandContext): string | undefined {
  const given = option ?? (context.env.MLFLOW_TRACKING_SERVER_CERT_PATH || undefined);
  if (given === undefined) return undefined;
  const file = path.resolve(context.cwd, given);
  if (!fs.existsSync(file)) throw new UsageError(`the CA file ${file} does not exist`);
  return file;
}

/** An explicit --token wins; otherwise MLflow's own variables, as its client reads them. */
export function credentials(token: string | undefined, env: NodeJS.ProcessEnv) {
  if (token) return { token };
  return {
    token: env.MLFLOW_TRACKING_TOKEN || undefined,
    username: env.MLFLOW_TRACKING_USERNAME || undefined,
    password: env.MLFLOW_TRACKING_PASSWORD,
  };
}

/** One line on stderr per run done, so a long push shows it is moving. */
export function progressLines(stderr: Writable): (progress: TransferProgress) => void {
  return (progress) => {
    const { direction, phase, done, total } = progress;
    if (phase === 'runs' && done === 0) {
      stderr.write(`${direction}: ${count(total, 'run')} to ${direction}\n`);
      return;
    }
    const what = phase === 'runs' ? 'run' : 'model';
    const run = progress.runId ? ` ${progress.runId} ${progress.state}` : '';
    stderr.write(`${direction}: ${what} ${done}/${total}${run}\n`);
  };
}

/** Warnings go to stderr; nothing else is logged. */
export function warningsTo(stderr: Writable): Logger {
  const quiet = () => undefined;
  const warn = (message: string | Error) =>
    stderr.write(
      `model-factory: warning: ${message instanceof Error ? message.message : message}\n`,
    );
  return { trace: quiet, debug: quiet, info: quiet, warn, error: warn };
}

/** Runs a transfer with Ctrl-C as a cancel, and reports how far a failed one got. */
export async function transfer(
  context: CommandContext,
  direction: Direction,
  work: (signal: AbortSignal) => Promise<TransferSummary>,
): Promise<TransferSummary | number> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  try {
    return await work(abort.signal);
  } catch (error) {
    if (!(error instanceof TransferError)) throw error;
    const done = direction === 'push' ? 'pushed' : 'pulled';
    context.stderr.write(`model-factory: ${error.message}\n`);
    context.stderr.write(
      `model-factory: ${done} before it stopped: ${counts(error.summary)}; ${direction} again ` +
        'to carry on (nothing is copied twice)\n',
    );
    return ExitCode.usage;
  } finally {
    process.off('SIGINT', stop);
  }
}

/** The summary as one line: "pushed 1 experiment, 3 runs (2 created, ...), ... to URL". */
export function describeTransfer(
  summary: TransferSummary,
  direction: Direction,
  url: string,
  store: string,
): string {
  const done = direction === 'push' ? 'pushed' : 'pulled';
  const where = direction === 'push' ? `from ${store} to ${url}` : `from ${url} into ${store}`;
  return `${done} ${counts(summary)} ${where}`;
}

function counts(s: TransferSummary): string {
  const runs = s.runsCreated + s.runsUpdated + s.runsUnchanged + s.runsSkipped;
  const parts = [
    count(s.experiments, 'new experiment'),
    `${count(runs, 'run')} (${s.runsCreated} created, ${s.runsUpdated} updated, ` +
      `${s.runsUnchanged} unchanged, ${s.runsSkipped} skipped)`,
    count(s.metricPoints, 'metric point'),
    count(s.params, 'param'),
    count(s.tags, 'tag'),
    count(s.inputs, 'dataset input'),
    `${count(s.artifacts, 'artifact file')} (${bytes(s.artifactBytes)})`,
    count(s.models, 'new model'),
    count(s.versions, 'new version'),
    count(s.aliases, 'alias', 'aliases'),
  ];
  if (s.warnings > 0) parts.push(count(s.warnings, 'warning'));
  return parts.join(', ');
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

type Copy = typeof pushToRemote | typeof pullFromRemote;

/**
 * A whole push or pull from the command line: the store opened (read-only for a push, which
 * only reads it and so works while VS Code has it open), the copy under Ctrl-C, the summary on
 * stdout, and the client and store closed whatever happens.
 */
export async function runTransfer(
  context: CommandContext,
  direction: Direction,
  copy: Copy,
): Promise<number> {
  const args = parseRemoteArgs(context, direction);
  const store = await RunStore.open(args.storeDir, { readOnly: direction === 'push' }).catch(
    (error) => {
      args.client.close();
      throw error;
    },
  );
  try {
    const result = await transfer(context, direction, (signal) =>
      copy(store, args.client, {
        experiment: args.experiment,
        runId: args.runId,
        models: args.models,
        signal,
        onProgress: progressLines(context.stderr),
        logger: warningsTo(context.stderr),
      }),
    );
    if (typeof result === 'number') return result;
    context.stdout.write(`${describeTransfer(result, direction, args.client.url, store.dir)}\n`);
    return ExitCode.ok;
  } finally {
    args.client.close();
    await store.close();
  }
}
