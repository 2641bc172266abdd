import type { Handler, Services } from '../services';
import { DeployCommand, type DeployCommandId } from './ids';
import { pickServed, servedActions, servedFromArg, serveVersion, stopServing } from './serve';
import { scoreDataFile } from './score';
import { tryServed } from './tryIt';
import { createCiWorkflow } from './workflow';

/** Handlers of the deploy commands: serving, trying and scoring a version, and the CI workflow. */
export function deployCommands(services: Services): Record<DeployCommandId, Handler> {
  return {
    [DeployCommand.serve]: (arg) => serveVersion(services, arg),
    [DeployCommand.tryServed]: async (arg) => {
      const served = servedFromArg(arg) ?? (await pickServed('Try which served model?'));
      if (served) await tryServed(served);
    },
    [DeployCommand.servedActions]: (arg) => servedActions(servedFromArg(arg)),
    [DeployCommand.stopServing]: (arg) => stopServing(arg),
    [DeployCommand.scoreFile]: (arg) => scoreDataFile(services, arg),
    [DeployCommand.createCiWorkflow]: () => createCiWorkflow(services),
  };
}
