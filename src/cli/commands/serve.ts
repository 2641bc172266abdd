import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../errors';
import { storeDir } from '../storeDir';
import { stderrLogger } from '../../core/log';
import { RunStore } from '../../core/store/store';
import { TrackingServer } from '../../core/tracking/server';

declare const MODEL_FACTORY_VERSION: string | undefined;

const usage = `Usage: model-factory serve [--store DIR] [--port N] [--token T | --no-auth]
                           [--verbose]

Serves the store as an MLflow tracking server on 127.0.0.1. Point mlflow at it with
MLFLOW_TRACKING_URI=<the printed URL> and MLFLOW_TRACKING_TOKEN=<the token>. The token comes
from --token, else MLFLOW_TRACKING_TOKEN, else one is made up and printed. Port 0 (the
default) picks a free port. Stops on Ctrl-C or SIGTERM with every acknowledged write saved.`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve a store as an MLflow tracking server on 127.0.0.1',
  usage,
  run: serve,
};

async function serve(context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: context.args,
    options: {
      store: { type: 'string' },
      port: { type: 'string', default: '0' },
      token: { type: 'string' },
      'no-auth': { type: 'boolean' },
      verbose: { type: 'boolean' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port takes a port number from 0 to 65535, not '${values.port}'`);
  }
  if (values['no-auth'] && values.token)
    throw new UsageError('give --token or --no-auth, not both');
  const given = values.token ?? (context.env.MLFLOW_TRACKING_TOKEN || undefined);
  const token = values['no-auth'] ? undefined : (given ?? randomBytes(24).toString('base64url'));

  const logger = stderrLogger(values.verbose);
  const store = await RunStore.open(storeDir(values.store, context.cwd), { logger });
  let server: TrackingServer;
  try {
    server = await TrackingServer.start(store, { port, token, logger, version: version() });
  } catch (error) {
    await store.close();
    throw error;
  }
  store.setServerAddress(server.url, token);
  const lines = [`Model Factory tracking server for ${store.dir} at ${server.url}`];
  if (token !== undefined && given === undefined) lines.push(`MLFLOW_TRACKING_TOKEN=${token}`);
  if (token === undefined) lines.push('Authentication is off (--no-auth).');
  context.stdout.write(`${lines.join('\n')}\n`);

  await waitForSignal();
  await server.stop();
  await store.close();
  context.stdout.write('stopped; every acknowledged write is saved\n');
  return 0;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function version(): string {
  return typeof MODEL_FACTORY_VERSION === 'string' ? MODEL_FACTORY_VERSION : 'development';
}
