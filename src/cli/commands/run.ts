import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../errors';
import { storeDir } from '../storeDir';
import { bundledPythonDir, pythonCommand, resolveModelUri } from '../../core/deploy';
import { runTracked, type LaunchOutcome } from '../../core/projects/launch';
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
import { CommandError } from '../../core/projects/command';
import { RunStore } from '../../core/store/store';
import { TrackingServer } from '../../core/tracking/server';

declare const MODEL_FACTORY_VERSION: string | undefined;

const usage = `Usage: model-factory run [PROJECT_DIR] [--entry NAME] [-P key=value]...
                         [--experiment NAME] [--model MODEL_URI] [--store DIR]
                         [--python PATH] [--run-id-file FILE]

Runs an MLproject entry point as a tracked run, as Launch Tracked Run does in the editor: the
run is created first, with its parameters and source tags; the process gets MLFLOW_RUN_ID and
MLFLOW_TRACKING_URI (a tracking server on 127.0.0.1 over the store, for the length of the run)
and logs into it; its output is printed and kept as the run's stdout.txt; the run ends
FINISHED, FAILED or KILLED by the exit. PROJECT_DIR is the current folder unless given;
--entry is main unless given, and may name a script instead (--entry train.py). -P values fill
the entry point's parameters; others are passed as --key value. With --model
models:/name/version (or @alias) the entry point evaluates that version: it gets MODEL_URI and
MODEL_PATH, and the run is linked to the version. The store is .modelfactory in the current
folder unless --store names another. Python is --python, else MODEL_FACTORY_PYTHON, else
python3. --run-id-file writes the run's id to a file once the run exists. Exits with the
process's exit code (1 when it did not start or was terminated).`;

// FIXME: there is no --to URL. runTracked records the run in a local RunStore before the process
// starts, so launching straight against a remote tracking server would need a second launcher
// that creates and ends the run over REST; until then a headless run always lands in a local
// store, from which `model-factory push --to URL` copies it to a shared server afterwards.
export const runCommand: Command = {
  name: 'run',
  summary: 'run an MLproject entry point as a tracked run',
  usage,
  run,
};

async function run(context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: context.args,
    allowPositionals: true,
    strict: true,
    options: {
      entry: { type: 'string' },
      param: { type: 'string', short: 'P', multiple: true },
      experiment: { type: 'string' },
      model: { type: 'string' },
      store: { type: 'string' },
      python: { type: 'string' },
      'run-id-file': { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new UsageError('run takes one PROJECT_DIR; see --help');
  const target = path.resolve(context.cwd, positionals[0] ?? '.');
  const params = parseParams(values.param ?? []);
  const python = pythonCommand(values.python, context.env);
  const kind: LaunchKind = values.model ? 'evaluate' : 'train';
  const plan = planned(() => planFor(target, values.entry, params, python, kind));

  const store = await RunStore.open(storeDir(values.store, context.cwd));
  try {
    const model = values.model ? modelToEvaluate(store, values.model) : undefined;
    const idFile = values['run-id-file'] && path.resolve(context.cwd, values['run-id-file']);
    return await launch(store, plan, { model, idFile, experiment: values.experiment }, context);
  } finally {
    await store.close();
  }
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

/** The editor's launch: a tracking server for the run's length, then runTracked. */
async function launch(
  store: RunStore,
  plan: LaunchPlan,
  choices: LaunchChoices,
  context: CommandContext,
): Promise<number> {
  const token = randomBytes(24).toString('base64url');
  const server = await TrackingServer.start(store, { port: 0, token, version: version() });
  store.setServerAddress(server.url, token);
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    context.stderr.write(`▶ ${displayCommand(plan.argv)}\n  in ${plan.cwd}\n`);
    const outcome = await runTracked(store, plan, spawnRunner, {
      experiment: choices.experiment,
      trackingUri: server.url,
      token,
      pythonModuleDir: bundledPythonDir(),
      model: choices.model,
      baseEnv: context.env,
      onOutput: (text) => context.stdout.write(text),
      onRunCreated: (runId, experimentId) => {
        if (choices.idFile) writeFileSync(choices.idFile, `${runId}\n`);
        const experiment = store.getExperiment(experimentId).name;
        context.stderr.write(`  run ${runId} in experiment ${experiment}\n\n`);
      },
      signal: abort.signal,
    });
    context.stderr.write(`\n${summary(outcome)}\n`);
    return outcome.exit.code ?? 1;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    store.setServerAddress(undefined);
    await server.stop();
  }
}

function summary(outcome: LaunchOutcome): string {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  const how = outcome.exit.error
    ? `did not start (${outcome.exit.error.code}): give --python or set MODEL_FACTORY_PYTHON`
    : outcome.exit.signal
      ? `was terminated (${outcome.exit.signal})`
      : `exited with code ${outcome.exit.code}`;
  return `The process ${how} after ${seconds} s; run ${outcome.runId} is ${outcome.status}.`;
}

function version(): string {
  return typeof MODEL_FACTORY_VERSION === 'string' ? MODEL_FACTORY_VERSION : 'development';
}
