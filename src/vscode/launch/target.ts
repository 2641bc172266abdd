import * as vscode from 'vscode';
import type { RemoteTarget } from '../../core/projects/launchRemote';
import { core } from '../core';
import { log } from '../log';
import { connectionsOf } from '../remote/connections';
import { RemoteCommand, SERVERS_SETTING } from '../remote/ids';
import type { ServerEntry } from '../remote/model';
import type { Services } from '../services';
import { TRACKING_SERVER_SETTING } from './ids';
import { LaunchRefused } from './resolve';

/**
 * Where a launch records its run: the workspace store, or the MLflow server that the setting
 * modelFactory.launch.trackingServer names, with the connection's credentials from SecretStorage.
 */
export type LaunchTarget =
  { kind: 'store'; note?: string } | { kind: 'remote'; server: ServerEntry; remote: RemoteTarget };

const CONNECT = { title: 'Connect to MLflow Server', command: RemoteCommand.connectServer };
const CONNECT_HINT = `run "Model Factory: ${CONNECT.title}"`;
const CLEAR_HINT = `or clear ${TRACKING_SERVER_SETTING} to record runs in the workspace store`;

/** Refuses in an untrusted workspace: a launch runs the workspace's code. */
export function checkTrusted(): void {
  if (!vscode.workspace.isTrusted) {
    throw new LaunchRefused(
      'This workspace is not trusted, and launching runs its code; trust the workspace to launch',
    );
  }
}

/**
 * Reads the setting and, for a server, checks before anything runs that it answers and takes the
 * saved credentials, so a wrong setting is told in a notification rather than a failed task.
 * An evaluation always stays in the workspace store, beside the model version it evaluates.
 */
export async function launchTarget(
  services: Services,
  kind: 'train' | 'evaluate',
  workspaceStore?: string,
): Promise<LaunchTarget> {
  checkTrusted();
  const value = vscode.workspace.getConfiguration().get<unknown>(TRACKING_SERVER_SETTING, '');
  const setting = typeof value === 'string' ? value.trim() : '';
  if (!setting) return { kind: 'store' };
  if (kind === 'evaluate') {
    const note = `An evaluation reads its model version from the workspace store, so its run is recorded there and not on ${setting}.`;
    return { kind: 'store', note };
  }
  if (workspaceStore) return { kind: 'store', note: `${workspaceStore}, not on ${setting}.` };

  const server = connectionFor(services, setting);
  const credentials = await savedCredentials(services, server);
  await checkServer(server, credentials);
  return { kind: 'remote', server, remote: { url: server.url, ...credentials } };
}

/** The connection the setting names, by URL (as typed or as the view shows it) or by name. */
function connectionFor(services: Services, setting: string): ServerEntry {
  const connections = connectionsOf(services).list();
  const wanted = normalised(setting);
  const found = connections.find(
    (entry) => entry.name === setting || normalised(entry.url) === wanted,
  );
  if (found) return found;
  throw new LaunchRefused(
    `${TRACKING_SERVER_SETTING} names ${setting}, which is not one of your MLflow server ` +
      `connections (${SERVERS_SETTING}): ${CONNECT_HINT} to add it, ${CLEAR_HINT}`,
    CONNECT,
  );
}

function normalised(url: string): string | undefined {
  try {
    return core().remote.parseServerUrl(url).display;
  } catch {
    return undefined;
  }
}

type Credentials = Pick<RemoteTarget, 'token' | 'username' | 'password'>;

/**
 * The connection's credentials, as the Connect command saved them. None is a valid answer (a
 * server without authentication); whether the server needs some is for checkServer to find out.
 */
async function savedCredentials(services: Services, server: ServerEntry): Promise<Credentials> {
  const saved = await connectionsOf(services).savedCredentials(server.url);
  if (saved) return saved;
  throw new LaunchRefused(
    `The saved credentials of ${server.url} are unreadable: ${CONNECT_HINT} to save them ` +
      `again, ${CLEAR_HINT}`,
    CONNECT,
  );
}

async function checkServer(server: ServerEntry, credentials: Credentials): Promise<void> {
  const { remote } = core();
  const client = new remote.MlflowClient({
    url: server.url,
    ...credentials,
    retries: 1,
    logger: log,
  });
  try {
    await client.checkServer();
  } catch (error) {
    throw refusal(server, credentials, error);
  } finally {
    client.close();
  }
}

function refusal(server: ServerEntry, credentials: Credentials, error: unknown): LaunchRefused {
  const why = `${TRACKING_SERVER_SETTING} sends launches there`;
  const auth = (error as { kind?: string }).kind === 'auth';
  if (auth && !credentials.token && credentials.password === undefined) {
    return new LaunchRefused(
      `${server.url} needs credentials, and none are saved for it (${why}): ${CONNECT_HINT} and ` +
        `give its token or password, ${CLEAR_HINT}`,
      CONNECT,
    );
  }
  if (auth) {
    return new LaunchRefused(
      `${server.url} refused the saved credentials (${why}): ${CONNECT_HINT} again to replace ` +
        `them, ${CLEAR_HINT}`,
      CONNECT,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new LaunchRefused(`Cannot record the run on ${server.url} (${why}): ${reason}`);
}
