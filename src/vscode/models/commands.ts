import type { ModelVersion, RegisteredModel } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import { reportFailure } from '../log';
import type { Handler, Services } from '../services';
import { moveAlias, removeAlias, setAlias } from './aliases';
import {
  copyUri,
  deleteModel,
  deleteTag,
  deleteVersion,
  editDescription,
  renameModel,
  setTag,
} from './edit';
import { ModelCommand, type ModelCommandId } from './ids';
import {
  entityTarget,
  modelTarget,
  openStore,
  versionTarget,
  type RegistryEntity,
} from './prompts';
import { registerModelVersion } from './register';
import { refreshModelsView } from './view';

/** A command's work, given the open store and the tree item it was run on (if any). */
type Body = (store: RunStore, arg: unknown) => Promise<void>;

const changedElsewhere = 'Refresh the Models view: the model may have changed elsewhere.';

/**
 * Handlers of the models view's commands. Each takes the tree item it was run on, or asks for
 * its target when run from the palette; each failure says what went wrong and what to do.
 */
export function modelCommands(services: Services): Record<ModelCommandId, Handler> {
  const command = (action: string, body: Body, advice = changedElsewhere): Handler =>
    guarded(services, action, advice, body);
  return {
    [ModelCommand.registerModel]: command(
      'Registering a model version',
      registerModelVersion,
      'Pick a run whose artifacts hold the model, and a model name of at most 256 characters.',
    ),
    [ModelCommand.setAlias]: command('Setting the alias', onVersion(setAlias)),
    [ModelCommand.moveAlias]: command('Moving the alias', onVersion(moveAlias)),
    [ModelCommand.removeAlias]: command('Removing the alias', onVersion(removeAlias)),
    [ModelCommand.setTag]: command('Setting the tag', onEntity(setTag)),
    [ModelCommand.deleteTag]: command('Deleting the tag', onEntity(deleteTag)),
    [ModelCommand.editDescription]: command('Saving the description', onEntity(editDescription)),
    [ModelCommand.rename]: command('Renaming the model', onModel(renameModel)),
    [ModelCommand.deleteVersion]: command('Deleting the version', onVersion(deleteVersion)),
    [ModelCommand.deleteModel]: command('Deleting the model', onModel(deleteModel)),
    [ModelCommand.copyUri]: command(
      'Copying the model URI',
      onVersion((_, v) => copyUri(v)),
    ),
    [ModelCommand.refreshModels]: () => refreshModelsView(),
  };
}

function guarded(services: Services, action: string, advice: string, body: Body): Handler {
  return async (arg) => {
    const store = await openStore(services.tracking);
    if (!store) return;
    try {
      await body(store, arg);
    } catch (error) {
      await reportFailure(action, error, advice);
    }
  };
}

function onVersion(run: (store: RunStore, version: ModelVersion) => Promise<void>): Body {
  return async (store, arg) => {
    const version = await versionTarget(store, arg);
    if (version) await run(store, version);
  };
}

function onModel(run: (store: RunStore, model: RegisteredModel) => Promise<void>): Body {
  return async (store, arg) => {
    const model = await modelTarget(store, arg);
    if (model) await run(store, model);
  };
}

function onEntity(run: (store: RunStore, entity: RegistryEntity) => Promise<void>): Body {
  return async (store, arg) => {
    const entity = await entityTarget(store, arg);
    if (entity) await run(store, entity);
  };
}
