import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../errors';
import { ownerServer } from '../ownerServer';
import { storeDir } from '../storeDir';
import { bundledPythonDir, pythonCommand, resolveModelUri } from '../../core/deploy';
import { runRecorded, type LaunchOutcome } from '../../core/projects/launch';
import { evaluatedModel, type EvaluatedModel } from '../../core/projects/launchEvaluate';
import {
  displayCommand,
  LaunchError,
  planLaunch,
  type LaunchKind,
  type LaunchPlan,
} from '../../core/projects/launchPlan';
import { nearestMlproject } from '../../core/projects/launchProject';
import { spawnRunner } from '../../core/projects/launchProcess';
import { storeRecorder, type RunRecorder } from '../../core/projects/launchRecorder';
import { remoteRecorder, type RemoteTarget } from '../../core/projects/launchRemote';
import { CommandError } from '../../core/projects/command';
import { StoreBusyError } from '../../core/store/errors';
import { RunStore } from '../../core/store/store';
import { parseServerUrl } from '../../core/tracking/remote/connection';
import { TrackingServer } from '../../core/tracking/server';
import { AUTH_HELP, caFileOf, credentials, warningsTo } from './remoteCommon';

declare const MODEL_FACTORY_VERSION: string | undefined;

const usage = `Usage: model-factory run [PROJECT_DIR] [--entry NAME] [-P key=value]...
                         [--experiment NAME] [--python PATH] [--run-id-file FILE]
                         [--store DIR] [--model MODEL_URI]
       model-factory run [PROJECT_DIR] ... --to URL [--token T] [--ca-file FILE]

Runs an MLproject entry point as a tracked run, as Launch Tracked Run does in the editor: the
run is created first, with its parameters and source tags; the process gets MLFLOW_RUN_ID and
MLFLOW_TRACKING_URI and logs into it; its output is printed and kept as the run's stdout.txt;
the run ends FINISHED, FAILED or KILLED by the exit. PROJECT_DIR is the current folder unless
given; --entry is main unless given, and may name a script instead (--entry train.py). -P values
fill the entry point's parameters; others are passed as --key value. With --model
models:/name/version (or @alias) the entry point evaluates that version of the store: it gets
MODEL_URI and MODEL_PATH, and the run is linked to the version. Python is --python, else
MODEL_FACTORY_PYTHON, else python3. --run-id-file writes the run's id to a file once the run
exists. Exits with the process's exit code (1 when it did not start or was terminated).

Where the run goes: the store, .modelfactory in the current folder unless --store names another,
through a tracking server on 127.0.0.1 for the length of the run (while a VS Code window owns
the store, a training run goes through the window's server instead); or, with --to URL, a remote
MLflow tracking server, in the experiment of that name there (made if missing), and no local
store is opened. The process then gets MLFLOW_TRACKING_URI=URL and the credentials as MLflow's
client reads them (MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and
MLFLOW_TRACKING_PASSWORD, and MLFLOW_TRACKING_SERVER_CERT_PATH), in its environment only.

${AUTH_HELP}`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run an MLproject entry point as a tracked run, into the store or an MLflow server',
  usage,
  run,
};

const OPTIONS = {
  entry: { type: 'string' },
  param: { type: 'string', short: 'P', multiple: true },
  experiment: { type: 'string' },
  model: { type: 'string' },
  store: { type: 'string' },
  to: { type: 'string' },
  token: { type: 'string' },
  'ca-file': { type: 'string' },
  python: { type: 'string' },
  'run-id-file': { type: 'string' },
} as const;

async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: context.args,
    allowPositionals: true,
    strict: true,
    options: OPTIONS,
  });
  if (positionals.length > 1) throw new UsageError('run takes one PROJECT_DIR; see --help');
  if (values.to === undefined && (values.token ?? values['ca-file']) !== undefined) {
    throw new UsageError('--token and --ca-file go with --to URL, the MLflow server to run into');
  }
  const remote = values.to === undefined ? undefined : remoteTarget(values, context);
  const target = path.resolve(context.cwd, positionals[0] ?? '.');
  const params = parseParams(values.param ?? []);
  const python = pythonCommand(values.python, context.env);
  const kind: LaunchKind = values.model ? 'evaluate' : 'train';
  const plan = planned(() => planFor(target, values.entry, params, python, kind));
  const idFile = values['run-id-file'] && path.resolve(context.cwd, values['run-id-file']);
  const choices = { idFile, experiment: values.experiment };

  if (remote) return launchRemote(remote, plan, choices, context);
  const dir = storeDir(values.store, context.cwd);
  let store: RunStore;
  try {
    store = await RunStore.open(dir);
  } catch (error) {
    // A VS Code window that owns the store serves it: a training run is recorded through that
    // server, as a launch from the window would be. An evaluation needs the store itself.
    const owner = error instanceof StoreBusyError && !values.model ? ownerServer(dir) : undefined;
    if (!owner) throw error;
    context.stderr.write(
      `model-factory: the store is open in process ${owner.pid}; recording the run through ` +
        `its server at ${owner.url}\n`,
    );
    return launchRemote({ url: owner.url, token: owner.token }, plan, choices, context);
  }
  try {
    const model = values.model ? modelToEvaluate(store, values.model) : undefined;
    return await launchLocal(store, plan, { ...choices, model }, context);
  } finally {
    await store.close();
  }
}

interface TargetFlags {
  to?: string;
  store?: string;
  token?: string;
  model?: string;
  'ca-file'?: string;
}

/** --to URL with its credentials, checked before anything runs; undefined for the store. */
function remoteTarget(flags: TargetFlags, context: CommandContext): RemoteTarget {
  const url = flags.to!;
  if (flags.store !== undefined) {
    throw new UsageError(
      '--to and --store name two places for the run: give --to URL for an MLflow server, or ' +
        '--store DIR for a local store, not both',
    );
  }
  if (flags.model !== undefined) {
    throw new UsageError(
      '--model evaluates a version of the local store, and its run belongs beside it: drop ' +
        '--to, then copy the run with `model-factory push --to URL --run ID`',
    );
  }
  try {
    parseServerUrl(url);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    url,
    caFile: caFileOf(flags['ca-file'], context),
    ...credentials(flags.token, context.env),
  };
}

/** -P key=value, split at the first '=' (values may hold more). */
export function parseParams(given: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of given) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UsageError(`-P takes key=value, not '${pair}'`);
    params[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return params;
}

function planned(plan: () => LaunchPlan): LaunchPlan {
  try {
    return plan();
  } catch (error) {
    if (error instanceof LaunchError || error instanceof CommandError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** The MLproject's entry point, or a script in the project folder (--entry train.py). */
function planFor(
  target: string,
  entry: string | undefined,
  values: Record<string, string>,
  python: string,
  kind: LaunchKind,
): LaunchPlan {
  if (!existsSync(target)) throw new UsageError(`${target} does not exist`);
  const isFile = statSync(target).isFile();
  const dir = isFile ? path.dirname(target) : target;
  const script = isFile && target.endsWith('.py') ? target : scriptEntry(dir, entry);
  if (script) {
    const project = nearestMlproject(script, dir);
    const mlprojectText = project === undefined ? undefined : readFileSync(project, 'utf8');
    return planLaunch({ kind, python, scriptPath: script, values, mlprojectText });
  }

  const mlprojectPath = isFile ? target : mlprojectIn(dir);
  if (!mlprojectPath) {
    throw new UsageError(
      `${dir} has no MLproject file; add one, or name a script to run with --entry train.py`,
    );
  }
  const mlprojectText = readFileSync(mlprojectPath, 'utf8');
  return planLaunch({
    kind,
    python,
    mlprojectPath,
    mlprojectText,
    entryPoint: entry ?? 'main',
    values,
  });
}

function scriptEntry(dir: string, entry: string | undefined): string | undefined {
  if (!entry || !entry.endsWith('.py')) return undefined;
  const script = path.resolve(dir, entry);
  if (!existsSync(script)) throw new UsageError(`there is no script ${script}`);
  return script;
}

function mlprojectIn(dir: string): string | undefined {
  return ['MLproject', 'MLproject.yaml']
    .map((name) => path.join(dir, name))
    .find((file) => existsSync(file) && statSync(file).isFile());
}

function modelToEvaluate(store: RunStore, uri: string): EvaluatedModel {
  const resolved = resolveModelUri(store, uri);
  if (!resolved.version) {
    throw new UsageError(
      `--model takes a registered version (models:/name/version or models:/name@alias), not ${uri}`,
    );
  }
  return evaluatedModel(store, resolved.version);
}

interface LaunchChoices {
  model?: EvaluatedModel;
  idFile?: string;
  experiment?: string;
}

/** The editor's launch: a tracking server over the store for the run's length. */
async function launchLocal(
  store: RunStore,
  plan: LaunchPlan,
  choices: LaunchChoices,
  context: CommandContext,
): Promise<number> {
  const token = randomBytes(24).toString('base64url');
  const server = await TrackingServer.start(store, { port: 0, token, version: version() });
  store.setServerAddress(server.url, token);
  try {
    const recorder = storeRecorder(store, { trackingUri: server.url, token });
    return await launch(recorder, plan, choices, context);
  } finally {
    store.setServerAddress(undefined);
    await server.stop();
  }
}

/** The run on a remote MLflow server: no store and no local server are involved. */
async function launchRemote(
  target: RemoteTarget,
  plan: LaunchPlan,
  choices: LaunchChoices,
  context: CommandContext,
): Promise<number> {
  const recorder = remoteRecorder(target, { logger: warningsTo(context.stderr) });
  try {
    return await launch(recorder, plan, choices, context);
  } finally {
    recorder.close();
  }
}

/** Runs the launch with Ctrl-C and SIGTERM as a kill; the run then ends KILLED. */
async function launch(
  recorder: RunRecorder,
  plan: LaunchPlan,
  choices: LaunchChoices,
  context: CommandContext,
): Promise<number> {
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const where = recorder.kind === 'remote' ? ` on ${recorder.destination}` : '';
  try {
    const outcome = await runRecorded(recorder, plan, spawnRunner, {
      experiment: choices.experiment,
      pythonModuleDir: bundledPythonDir(),
      model: choices.model,
      baseEnv: context.env,
      onOutput: (text) => context.stdout.write(text),
      onRunCreated: (runId, _experimentId, experiment) => {
        if (choices.idFile) writeFileSync(choices.idFile, `${runId}\n`);
        // Printed once the run exists, so a server that refuses it shows no command as started.
        context.stderr.write(`▶ ${displayCommand(plan.argv)}\n  in ${plan.cwd}\n`);
        context.stderr.write(`  run ${runId} in experiment ${experiment}${where}\n\n`);
      },
      signal: abort.signal,
      logger: warningsTo(context.stderr),
    });
    context.stderr.write(`\n${summary(outcome)}\n`);
    return outcome.exit.code ?? 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function summary(outcome: LaunchOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  const how = outcome.exit.error
    ? `did not start (${outcome.exit.error.code}): give --python or set MODEL_FACTORY_PYTHON`
    : outcome.exit.signal
      ? `was terminated (${outcome.exit.signal})`
      : `exited with code ${outcome.exit.code}`;
  const where = outcome.trackingServer ? ` on ${outcome.trackingServer}` : '';
  return `The process ${how} after ${seconds} s; run ${outcome.runId} is ${outcome.status}${where}.`;
}

function version(): string {
  return typeof MODEL_FACTORY_VERSION === 'string' ? MODEL_FACTORY_VERSION : 'development';
}
