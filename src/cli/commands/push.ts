import { RunStore } from '../../core/store/store';
import { pushToRemote } from '../../core/tracking/remote';
import type { Command, CommandContext } from '../command';
import { ExitCode } from '../errors';
import {
  AUTH_HELP,
  describeTransfer,
  parseRemoteArgs,
  progressLines,
  transfer,
  warningsTo,
} from './remoteCommon';

const usage = `Usage: model-factory push --to URL [--store DIR] [--token T] [--ca-file FILE]
                          [--experiment NAME] [--run ID] [--models]

Copies the store's experiments and runs (params, tags, every metric point, dataset inputs and
artifacts) to an MLflow tracking server, and with --models its registered models, their
versions and aliases. Each copy carries the tag modelfactory.source_run_id, so pushing again
updates the copies and sends only what they lack. A push that stops (Ctrl-C, a failing server)
carries on where it stopped when run again. Progress goes to stderr, the counts to stdout.

${AUTH_HELP}

Options:
  --to URL           the MLflow tracking server, e.g. https://mlflow.example.com
  --store DIR        the folder holding the store's mlflow.db (default: .modelfactory)
  --token T          a bearer token (default: MLFLOW_TRACKING_TOKEN)
  --ca-file FILE     extra certificate authorities for https, as PEM
  --experiment NAME  only this experiment
  --run ID           only this run
  --models           the registry too: models, versions whose runs are pushed, aliases`;

export const pushCommand: Command = {
  name: 'push',
  summary: 'copy runs, artifacts and models to an MLflow tracking server',
  usage,
  run: push,
};

async function push(context: CommandContext): Promise<number> {
  const args = parseRemoteArgs(context, 'push');
  // Read-only: a push only reads the store, and so works while VS Code has it open.
  const store = await RunStore.open(args.storeDir, { readOnly: true }).catch((error) => {
    args.client.close();
    throw error;
  });
  try {
    const result = await transfer(context, 'push', (signal) =>
      pushToRemote(store, args.client, {
        experiment: args.experiment,
        runId: args.runId,
        models: args.models,
        signal,
        onProgress: progressLines(context.stderr),
        logger: warningsTo(context.stderr),
      }),
    );
    if (typeof result === 'number') return result;
    context.stdout.write(`${describeTransfer(result, 'push', args.client.url, store.dir)}\n`);
    return ExitCode.ok;
  } finally {
    args.client.close();
    await store.close();
  }
}
