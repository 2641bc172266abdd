import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../errors';
import { storeDir } from '../storeDir';
import { resolveModelUri, startScoringServer, type ResolvedModel } from '../../core/deploy';
import { RunStore } from '../../core/store/store';

const usage = `Usage: model-factory serve-model MODEL_URI [--port N] [--store DIR] [--python PATH]

Serves a model version on 127.0.0.1 with MLflow's scoring protocol, as \`mlflow models serve\`
does: GET /ping and /health, and POST /invocations with a JSON body (dataframe_split,
dataframe_records or inputs) or a CSV body, answered with {"predictions": [...]}. MODEL_URI is
models:/name/version, models:/name@alias or runs:/run_id/path. The model is loaded with mlflow's
pyfunc loader when mlflow is installed and the artifacts have an MLmodel file, else from a
pickle or joblib file with a predict method, else from Model Factory's JSON model format.
Prints a line with the URL once it is ready; port 0 (the default) picks a free one. Python is
--python, else MODEL_FACTORY_PYTHON, else python3. Stops on Ctrl-C or SIGTERM; exits 2 with
one line on stderr when the model cannot be loaded or the port is in use.`;

export const serveModelCommand: Command = {
  name: 'serve-model',
  summary: 'serve a model version with MLflow scoring protocol on 127.0.0.1',
  usage,
  run: serveModel,
};

async function serveModel(context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: context.args,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string', default: '0' },
      store: { type: 'string' },
      python: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('serve-model takes one MODEL_URI; see --help');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port takes a port number from 0 to 65535, not '${values.port}'`);
  }
  const model = await resolveReadOnly(storeDir(values.store, context.cwd), positionals[0]);

  const server = await startScoringServer({
    modelPath: model.path,
    label: labelOf(model),
    port,
    python: values.python,
    env: context.env,
    onLog: (line) => context.stderr.write(`${line}\n`),
  });
  context.stdout.write(`${server.readyLine}\n`);

  const signal = waitForSignal();
  try {
    const ended = await Promise.race([signal.received, server.exited]);
    if (ended !== 'signal') {
      context.stderr.write(`model-factory: the scoring server stopped (exit ${ended.code})\n`);
      return 1;
    }
    await server.stop();
    return 0;
  } finally {
    signal.dispose();
  }
}

/** Reads the registry without taking the store over, so this works while VS Code owns it. */
export async function resolveReadOnly(dir: string, uri: string): Promise<ResolvedModel> {
  const store = await RunStore.open(dir, { readOnly: true });
  try {
    return resolveModelUri(store, uri);
  } finally {
    await store.close();
  }
}

export function labelOf(model: ResolvedModel): string {
  return model.canonicalUri === model.uri ? model.uri : `${model.uri} (${model.canonicalUri})`;
}

function waitForSignal(): { received: Promise<'signal'>; dispose(): void } {
  let stop = () => undefined as void;
  const received = new Promise<'signal'>((resolve) => {
    stop = () => resolve('signal');
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return {
    received,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
