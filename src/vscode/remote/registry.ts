import * as vscode from 'vscode';
import type { Run } from '../../core/store/entities';
import type { MlflowClient } from '../../core/tracking/remote';
import { core } from '../core';
import { log } from '../log';
import type { Services } from '../services';
import type { NodeData, ViewNode } from '../views/node';
import { connectionsOf } from './connections';
import type { ServerEntry } from './model';
import { serversView } from './view';

/**
 * Changes to a remote server's model registry from the MLflow Servers view: aliases and tags on
 * a version, and a new version registered from a remote run. Each is one or two REST calls made
 * with the connection's credentials, so the server decides what the account may do; its refusal
 * reaches the user through the command's error message (see commands.ts). Whatever happened, the
 * model's rows are read again afterwards, so the view shows the server as it now is.
 */

type VersionData = Extract<NodeData, { kind: 'remoteVersion' }>;
type RunData = Extract<NodeData, { kind: 'remoteRun' }>;

interface Target<D> {
  data: D;
  server: ServerEntry;
  client: MlflowClient;
}

/** The pure helpers of the models feature, in dist/core.js. */
const models = () => core().models;

/** Sets an alias on a remote version; MLflow moves it there if another version holds it. */
export async function setRemoteAlias(services: Services, arg: unknown): Promise<void> {
  const target = await targetOf(services, arg, 'remoteVersion');
  if (!target) return;
  const { data, client, server } = target;
  const aliases = (await client.registry.getModel(data.name))?.aliases ?? [];

  const typed = await vscode.window.showInputBox({
    title: `Set an alias on ${data.name} version ${data.version} on ${server.url}`,
    prompt: `Letters, digits, - and _. Code loads the version as models:/${data.name}@alias.`,
    placeHolder: 'champion',
    validateInput: (text) => aliasValidation(text, aliases, data.version),
  });
  const alias = typed === undefined ? '' : models().normalizeAlias(typed);
  if (alias === '') return;

  await changing(services, target, () => client.registry.setAlias(data.name, alias, data.version));
  announce(`Set @${alias} on ${data.name} version ${data.version} on ${server.url}.`);
}

/** Removes aliases from a remote version, after asking: code that loads them breaks. */
export async function deleteRemoteAlias(services: Services, arg: unknown): Promise<void> {
  const target = await targetOf(services, arg, 'remoteVersion');
  if (!target) return;
  const { data, client, server } = target;
  const aliases = await pickAliases(data);
  if (!aliases || aliases.length === 0) return;

  const names = aliases.map((alias) => `@${alias}`).join(', ');
  const action = aliases.length === 1 ? 'Delete Alias' : 'Delete Aliases';
  const choice = await vscode.window.showWarningMessage(
    `Delete ${names} from ${data.name} version ${data.version} on ${server.url}?`,
    {
      modal: true,
      detail: `Code that loads models:/${data.name}@${aliases[0]} from that server fails until the alias is set again.`,
    },
    action,
  );
  if (choice !== action) return;

  await changing(services, target, async () => {
    for (const alias of aliases) await client.registry.deleteAlias(data.name, alias);
  });
  announce(`Deleted ${names} from ${data.name} on ${server.url}.`);
}

/** Sets a tag on a remote version: the key, then the value. */
export async function setRemoteTag(services: Services, arg: unknown): Promise<void> {
  const target = await targetOf(services, arg, 'remoteVersion');
  if (!target) return;
  const { data, client, server } = target;
  const what = `${data.name} version ${data.version} on ${server.url}`;

  const key = await vscode.window.showInputBox({
    title: `Tag ${what}`,
    prompt: 'The tag key',
    placeHolder: 'validation_status',
    validateInput: (text) => (text === '' ? undefined : models().tagKeyProblem(text)),
  });
  if (!key?.trim()) return;
  const value = await vscode.window.showInputBox({
    title: `Tag ${what}: ${key.trim()}`,
    prompt: 'The tag value (may be empty)',
    validateInput: (text) => models().tagValueProblem(text),
  });
  if (value === undefined) return;

  const tag = { key: key.trim(), value };
  await changing(services, target, () =>
    client.registry.setVersionTag(data.name, data.version, tag),
  );
  announce(`Tagged ${what}: ${tag.key} = ${value}.`);
}

/**
 * Registers a remote run's model as a new version on the same server: the artifact folder that
 * holds it, then the registered model (an existing one, or a new one created first, as MLflow's
 * register_model does), then model-versions/create with the source runs:/<run id>/<folder>.
 */
export async function registerRemoteRun(services: Services, arg: unknown): Promise<void> {
  const target = await targetOf(services, arg, 'remoteRun');
  if (!target) return;
  const { data, client, server } = target;
  const run = await client.runs.get(data.runId);
  const folder = await pickFolder(client, run);
  if (folder === undefined) return;
  const name = await pickModelName(client, run);
  if (name === undefined) return;

  const source = models().modelSource(run.info.runId, folder);
  const version = await changing(services, { ...target, data: { name } }, async () => {
    await ensureModel(client, name);
    return client.registry.createVersion({ name, source, runId: run.info.runId });
  });
  log.info(`Registered ${name} version ${version.version} on ${server.url} from ${source}`);
  announce(
    `Registered ${name} version ${version.version} on ${server.url} from run ${run.info.runName || run.info.runId}.`,
  );
}

/** The item's data, its server and a client for it; undefined (after saying so) otherwise. */
async function targetOf<K extends 'remoteVersion' | 'remoteRun'>(
  services: Services,
  arg: unknown,
  kind: K,
): Promise<Target<K extends 'remoteVersion' ? VersionData : RunData> | undefined> {
  const data = (arg as ViewNode | undefined)?.data;
  if (data?.kind !== kind) {
    const item = kind === 'remoteVersion' ? 'a model version' : 'a run';
    void vscode.window.showInformationMessage(
      `This works on ${item} in the MLflow Servers view: right-click one there.`,
    );
    return undefined;
  }
  const connections = connectionsOf(services);
  const server = connections.find((data as VersionData | RunData).server);
  if (!server) return undefined;
  const client = await connections.client(server);
  return { data: data as never, server, client };
}

/** Runs the change, then has the model's rows read again, whether it worked or not. */
async function changing<T>(
  services: Services,
  target: { server: ServerEntry; data: { name: string } },
  change: () => Promise<T>,
): Promise<T> {
  try {
    return await change();
  } finally {
    await serversView(services)
      ?.refreshModel(target.server.name, target.data.name)
      .catch((error: unknown) => log.warn(`Reading ${target.data.name} again: ${String(error)}`));
  }
}

function aliasValidation(
  text: string,
  aliases: Array<{ alias: string; version: string }>,
  version: string,
): string | vscode.InputBoxValidationMessage | undefined {
  // An empty box is not an error yet: the user has not typed anything.
  if (models().normalizeAlias(text) === '') return undefined;
  const problem = models().aliasProblem(text);
  if (problem) return problem;
  const note = models().aliasMoveNote(text, aliases, version);
  return note ? { message: note, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
}

/** One alias needs no question; several are ticked. */
async function pickAliases(data: VersionData): Promise<string[] | undefined> {
  if (data.aliases.length === 0) {
    void vscode.window.showInformationMessage(`Version ${data.version} has no alias.`);
    return undefined;
  }
  if (data.aliases.length === 1) return data.aliases;
  const items = data.aliases.map((alias) => ({ label: `@${alias}`, alias }));
  const title = 'Delete which aliases?';
  const picks = await vscode.window.showQuickPick(items, { title, canPickMany: true });
  return picks?.map((pick) => pick.alias);
}

async function pickFolder(client: MlflowClient, run: Run): Promise<string | undefined> {
  const { folders, reason } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Listing the run’s artifacts…' },
    () => core().remote.remoteArtifactFolders(client.artifacts, run),
  );
  if (reason) log.warn(`Listing the artifacts of run ${run.info.runId}: ${reason}`);
  const title = `Register a model from run ${run.info.runName || run.info.runId}`;
  if (folders.length > 0) {
    const items = [
      ...models().folderItems(folders),
      { label: '$(edit) Type a Path...', folder: undefined },
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `${title}: which artifact folder?`,
      placeHolder: 'Folders holding an MLmodel file come first',
    });
    if (!pick) return undefined;
    if (pick.folder !== undefined) return pick.folder;
  }
  const typed = await vscode.window.showInputBox({
    title,
    prompt: "The folder of the run's artifacts that holds the model (empty for the root)",
    value: folders[0]?.path ?? 'model',
    validateInput: (text) =>
      models().normalizeArtifactPath(text) === undefined
        ? "The path must stay inside the run's artifacts"
        : undefined,
  });
  return typed === undefined ? undefined : models().normalizeArtifactPath(typed);
}

/** An existing remote model is picked; a new name is typed (the run's experiment suggested). */
async function pickModelName(client: MlflowClient, run: Run): Promise<string | undefined> {
  const page = await client.registry.searchModels({ maxResults: 1000, orderBy: ['name ASC'] });
  const names = page.items.map((model) => model.name);
  if (names.length > 0) {
    const items = [
      { label: 'New Registered Model...', iconPath: new vscode.ThemeIcon('add') },
      ...names.map((name) => ({ label: name, name, iconPath: new vscode.ThemeIcon('package') })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `Register as a version of which model on ${client.url}?`,
      placeHolder: 'Pick a registered model, or create one',
    });
    if (!pick) return undefined;
    if ('name' in pick) return pick.name;
  }
  const suggestion = await client.experiments
    .get(run.info.experimentId)
    .then((experiment) => experiment.name)
    .catch(() => 'model');
  const taken = new Set(names);
  const typed = await vscode.window.showInputBox({
    title: `Name of the new registered model on ${client.url}`,
    value: taken.has(suggestion) ? '' : suggestion,
    validateInput: (text) => models().modelNameProblem(text, (name) => taken.has(name)),
  });
  return typed?.trim() || undefined;
}

/** Creates the model unless it exists; another user creating it meanwhile is no failure. */
async function ensureModel(client: MlflowClient, name: string): Promise<void> {
  if (await client.registry.getModel(name)) return;
  try {
    await client.registry.createModel(name);
  } catch (error) {
    if (!core().remote.isRemoteError(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
  }
}

function announce(message: string): void {
  void vscode.window.showInformationMessage(message);
}
