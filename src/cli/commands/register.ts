import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../errors';
import { storeDir } from '../storeDir';
import {
  registerRun,
  registerRunThrough,
  type RegisterOptions,
  type Registration,
} from '../../core/deploy';
import { StoreBusyError } from '../../core/store/errors';
import { RunStore } from '../../core/store/store';
import { MlflowClient } from '../../core/tracking/remote/client';
import { ownerServer, type OwnerServer } from '../ownerServer';

const usage = `Usage: model-factory register RUN_ID --name NAME [--path ARTIFACT] [--alias A]
                              [--store DIR]

Registers the model a run logged (its artifact folder --path, model unless given) as a new
version of the registered model NAME, created if it does not exist, with the source
runs:/RUN_ID/ARTIFACT. --alias points an alias such as champion at the new version, moving it
from the version that had it. Prints the version; exits 2 with one line on stderr when the run
or the artifact does not exist or the alias is not a valid one. While a VS Code window (or
\`model-factory serve\`) owns the store, the registration goes through its tracking server.`;

export const registerCommand: Command = {
  name: 'register',
  summary: "register a run's model as a new model version",
  usage,
  run: register,
};

async function register(context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: context.args,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      path: { type: 'string', default: 'model' },
      alias: { type: 'string' },
      store: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('register takes one RUN_ID; see --help');
  if (!values.name) throw new UsageError('register needs --name, the registered model');

  const dir = storeDir(values.store, context.cwd);
  const options = { name: values.name, path: values.path, alias: values.alias };
  const registration = await registered(dir, positionals[0], options, context);
  const { version } = registration;
  const lines = [
    `Registered ${version.source} as ${version.name} version ${version.version}` +
      (registration.createdModel ? ` (a new registered model)` : ''),
  ];
  if (values.alias !== undefined) {
    const was = registration.previousAliasVersion;
    lines.push(
      `@${values.alias} now points at version ${version.version}` + (was ? ` (was ${was})` : ''),
    );
  }
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * Registers in the store, or, while another process owns it and serves it on this machine (a
 * VS Code window), through that process's server: the owner stays its only writer.
 */
async function registered(
  dir: string,
  runId: string,
  options: RegisterOptions,
  context: CommandContext,
): Promise<Registration> {
  let store: RunStore;
  try {
    store = await RunStore.open(dir);
  } catch (error) {
    const owner = error instanceof StoreBusyError ? ownerServer(dir) : undefined;
    if (!owner) throw error;
    return registerThroughOwner(dir, owner, runId, options, context);
  }
  try {
    return registerRun(store, runId, options);
  } finally {
    await store.close();
  }
}

async function registerThroughOwner(
  dir: string,
  owner: OwnerServer,
  runId: string,
  options: RegisterOptions,
  context: CommandContext,
): Promise<Registration> {
  context.stderr.write(
    `model-factory: the store is open in process ${owner.pid}; registering through its ` +
      `server at ${owner.url}\n`,
  );
  const store = await RunStore.open(dir, { readOnly: true });
  const client = new MlflowClient({ url: owner.url, token: owner.token });
  try {
    return await registerRunThrough(store, client, runId, options);
  } finally {
    client.close();
    await store.close();
  }
}
