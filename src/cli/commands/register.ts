import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../errors';
import { storeDir } from '../storeDir';
import { registerRun } from '../../core/deploy';
import { RunStore } from '../../core/store/store';

const usage = `Usage: model-factory register RUN_ID --name NAME [--path ARTIFACT] [--alias A]
                              [--store DIR]

Registers the model a run logged (its artifact folder --path, model unless given) as a new
version of the registered model NAME, created if it does not exist, with the source
runs:/RUN_ID/ARTIFACT. --alias points an alias such as champion at the new version, moving it
from the version that had it. Prints the version; exits 2 with one line on stderr when the run
or the artifact does not exist or the alias is not a valid one.`;

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

  // FIXME: while a VS Code window owns the store, this is refused (StoreBusyError names the
  // window's server) rather than registered through that server, so the user has to close the
  // window or use its Register Model Version command.
  const store = await RunStore.open(storeDir(values.store, context.cwd));
  try {
    const registration = registerRun(store, positionals[0], {
      name: values.name,
      path: values.path,
      alias: values.alias,
    });
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
  } finally {
    await store.close();
  }
  return 0;
}
