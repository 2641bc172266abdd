import { pullFromRemote } from '../../core/tracking/remote';
import type { Command, CommandContext } from '../command';
import { AUTH_HELP, runTransfer } from './remoteCommon';

const usage = `Usage: model-factory pull --from URL [--store DIR] [--token T] [--ca-file FILE]
                          [--experiment NAME] [--run ID] [--models]

Copies runs from an MLflow tracking server into the store (params, tags, every metric point,
dataset inputs and artifacts), for offline work and drift checks against their datasets, and
with --models the registered models, versions and aliases of those runs. Pulled runs keep their
remote ids; a run pushed from this store is merged back into the run it came from. Pulling
again adds only what is new, and each run is written whole or not at all.

${AUTH_HELP}

Options:
  --from URL         the MLflow tracking server, e.g. https://mlflow.example.com
  --store DIR        the folder holding the store's mlflow.db (default: .modelfactory)
  --token T          a bearer token (default: MLFLOW_TRACKING_TOKEN)
  --ca-file FILE     extra certificate authorities for https, as PEM
  --experiment NAME  only this remote experiment
  --run ID           only this remote run
  --models           the registry too: models, versions whose runs are pulled, aliases`;

export const pullCommand: Command = {
  name: 'pull',
  summary: 'copy runs, artifacts and models from an MLflow tracking server',
  usage,
  run: pull,
};

function pull(context: CommandContext): Promise<number> {
  return runTransfer(context, 'pull', pullFromRemote);
}
