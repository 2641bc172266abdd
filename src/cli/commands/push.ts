import { pushToRemote } from '../../core/tracking/remote';
import type { Command, CommandContext } from '../command';
import { AUTH_HELP, runTransfer } from './remoteCommon';

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

function push(context: CommandContext): Promise<number> {
  return runTransfer(context, 'push', pushToRemote);
}
