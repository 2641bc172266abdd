import { reportFailure } from '../log';
import type { Handler, Services } from '../services';
import type { NodeData, ViewNode } from '../views/node';
import { connectServer, disconnectServer, serverOf } from './connect';
import { connectionsOf } from './connections';
import { RemoteCommand as C, type RemoteCommandId } from './ids';
import { deleteRemoteAlias, registerRemoteRun, setRemoteAlias, setRemoteTag } from './registry';
import { openRemoteRun, openRemoteVersion } from './runDocument';
import { mirrorsOf } from './mirror';
import * as transfer from './transfer';
import { serversView } from './view';

/** A handler that reports its failure, with the server's message and a button for the log. */
function guarded(action: string, advice: string, handler: Handler): Handler {
  return async (...args: unknown[]) => {
    try {
      await handler(...args);
    } catch (error) {
      await reportFailure(action, error, advice);
    }
  };
}

const CHECK = 'Check the connection, or refresh the MLflow Servers view.';
const RIGHTS =
  'The view now shows the model as the server has it; check that your account may change it.';

/**
 * Handlers of the MLflow servers feature: connections, browsing, registry changes, push and pull.
 */
export function remoteCommands(s: Services): Record<RemoteCommandId, Handler> {
  const connections = () => connectionsOf(s);
  return {
    [C.connectServer]: guarded('Connecting', 'Check the URL and the credentials.', () =>
      connectServer(connections()),
    ),
    [C.disconnectServer]: guarded('Disconnecting', 'Edit modelFactory.remote.servers.', (arg) =>
      disconnectServer(connections(), arg),
    ),
    [C.refreshServers]: guarded('Refreshing', CHECK, (arg) =>
      serversView(s)?.refresh(serverOf(connections(), arg)?.name),
    ),
    [C.showMore]: guarded('Reading more', CHECK, (arg) => showMore(s, arg)),
    [C.openRun]: guarded('Opening the remote run', CHECK, (arg) => openRunPanel(s, arg)),
    [C.showRunSummary]: guarded('Opening the remote run', CHECK, (arg) =>
      openRemoteRun(connections(), arg),
    ),
    [C.pushRun]: guarded('Pushing', CHECK, (arg) => transfer.pushRun(s, arg)),
    [C.pushExperiment]: guarded('Pushing', CHECK, (arg) => transfer.pushExperiment(s, arg)),
    [C.pullRun]: guarded('Pulling', CHECK, (arg) => transfer.pullRun(s, arg)),
    [C.pullExperiment]: guarded('Pulling', CHECK, (arg) => transfer.pullExperiment(s, arg)),
    [C.pushModelVersion]: guarded('Pushing', CHECK, (arg) => transfer.pushModelVersion(s, arg)),
    [C.openVersion]: guarded('Opening the remote version', CHECK, (arg) =>
      openVersionPanel(s, arg),
    ),
    [C.showVersionSummary]: guarded('Opening the remote version', CHECK, (arg) =>
      openRemoteVersion(connections(), arg),
    ),
    [C.setAlias]: guarded('Setting the alias', RIGHTS, (arg) => setRemoteAlias(s, arg)),
    [C.deleteAlias]: guarded('Deleting the alias', RIGHTS, (arg) => deleteRemoteAlias(s, arg)),
    [C.setTag]: guarded('Setting the tag', RIGHTS, (arg) => setRemoteTag(s, arg)),
    [C.registerVersion]: guarded('Registering the version', RIGHTS, (arg) =>
      registerRemoteRun(s, arg),
    ),
  };
}

/** A remote run in the run panel, with its charts: from the copy RemoteMirrors keeps. */
async function openRunPanel(s: Services, arg: unknown): Promise<void> {
  const data = (arg as ViewNode | undefined)?.data;
  if (data?.kind !== 'remoteRun') return;
  const server = connectionsOf(s).find(data.server);
  if (server) await mirrorsOf(s).openRun(server, data.runId);
}

/**
 * A remote version in the version panel, from the copy RemoteMirrors keeps; its alias and
 * description changes go to the server. A version without a source run has nothing to copy it
 * with, and opens as its Markdown summary.
 */
async function openVersionPanel(s: Services, arg: unknown): Promise<void> {
  const data = (arg as ViewNode | undefined)?.data;
  if (data?.kind !== 'remoteVersion') return;
  const connections = connectionsOf(s);
  const server = connections.find(data.server);
  if (!server) return;
  if (!data.runId) return openRemoteVersion(connections, arg);
  const mirrors = mirrorsOf(s);
  const version = { name: data.name, version: data.version, runId: data.runId };
  await mirrors.openVersion(server, version, {
    setAlias: async () => {
      await setRemoteAlias(s, { data });
      await mirrors.refreshVersion(server, version);
    },
    saveDescription: async (description) => {
      const client = await connections.client(server);
      await client.registry.updateVersion(data.name, data.version, description);
      await mirrors.refreshVersion(server, version);
    },
  });
}

/** The item's command passes its data; the context menu would pass the node. */
async function showMore(s: Services, arg: unknown): Promise<void> {
  const data = ((arg as ViewNode)?.data ?? arg) as NodeData | undefined;
  if (data?.kind !== 'remoteMore') return;
  await serversView(s)?.showMore(data);
}
