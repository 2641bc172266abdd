import { reportFailure } from '../log';
import type { Handler, Services } from '../services';
import type { NodeData, ViewNode } from '../views/node';
import { connectServer, disconnectServer, serverOf } from './connect';
import { connectionsOf } from './connections';
import { RemoteCommand as C, type RemoteCommandId } from './ids';
import { openRemoteRun } from './runDocument';
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

/** Handlers of the MLflow servers feature: connections, browsing, push and pull. */
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
    [C.openRun]: guarded('Opening the remote run', CHECK, (arg) =>
      openRemoteRun(connections(), arg),
    ),
    [C.pushRun]: guarded('Pushing', CHECK, (arg) => transfer.pushRun(s, arg)),
    [C.pushExperiment]: guarded('Pushing', CHECK, (arg) => transfer.pushExperiment(s, arg)),
    [C.pullRun]: guarded('Pulling', CHECK, (arg) => transfer.pullRun(s, arg)),
    [C.pullExperiment]: guarded('Pulling', CHECK, (arg) => transfer.pullExperiment(s, arg)),
  };
}

/** The item's command passes its data; the context menu would pass the node. */
async function showMore(s: Services, arg: unknown): Promise<void> {
  const data = ((arg as ViewNode)?.data ?? arg) as NodeData | undefined;
  if (data?.kind !== 'remoteMore') return;
  await serversView(s)?.showMore(data);
}
