import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EvaluatedModel } from '../../core/projects/launchEvaluate';
import type { LaunchPlan } from '../../core/projects/launchPlan';
import type { EntryPoint } from '../../core/projects/types';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { chooseInterpreter } from './interpreter';
import type { LaunchRequest } from './request';

/** A `modelFactory` task as tasks.json writes it; paths are relative to the workspace folder. */
export interface LaunchDefinition extends vscode.TaskDefinition {
  type: 'modelFactory';
  kind: 'train' | 'evaluate';
  entryPoint?: string;
  script?: string;
  /** The MLproject file, or the folder holding it. */
  project?: string;
  params?: Record<string, string>;
  experiment?: string;
  /** For evaluate: models:/name/version; asked for when absent. */
  model?: string;
  /** Tags for the run beyond the launcher's own (a retrain's drift check). */
  tags?: Record<string, string>;
}

export const TASK_TYPE = 'modelFactory';

/** Everything a launch needs once the user has answered every question. */
export interface PreparedLaunch {
  plan: LaunchPlan;
  model?: EvaluatedModel;
}

/**
 * A launch that cannot go ahead, with a message for the user (no stack needed), and the command
 * that sets it right when there is one.
 */
export class LaunchRefused extends Error {
  constructor(
    message: string,
    readonly action?: { title: string; command: string },
  ) {
    super(message);
  }
}

export function definitionOf(request: LaunchRequest): LaunchDefinition {
  const file = vscode.Uri.parse(request.uri, true).fsPath;
  const isProject = /^MLproject(\.ya?ml)?$/i.test(path.basename(file));
  return {
    type: TASK_TYPE,
    kind: request.kind,
    ...(isProject ? { project: file, entryPoint: request.entryPoint ?? 'main' } : { script: file }),
    ...(request.params ? { params: request.params } : {}),
    ...(request.experiment ? { experiment: request.experiment } : {}),
    ...(request.model ? { model: request.model } : {}),
    ...(request.tags ? { tags: request.tags } : {}),
  };
}

/**
 * Asks what is missing (parameters, the model to evaluate) and plans the launch. Undefined when
 * the user cancels a question; throws LaunchRefused or the core's errors when it cannot run.
 * The store is where an evaluation finds its model version; a training run needs none.
 */
export async function prepareLaunch(
  definition: LaunchDefinition,
  folder: string | undefined,
  store: RunStore | undefined,
  ask: boolean,
): Promise<PreparedLaunch | undefined> {
  const { launch } = core();
  const values = { ...(definition.params ?? {}) };
  const model = definition.kind === 'evaluate' ? await evaluated(store, definition) : undefined;
  if (definition.kind === 'evaluate' && !model) return undefined;

  if (definition.script) {
    const scriptPath = absolute(definition.script, folder);
    const python = await chooseInterpreter(vscode.Uri.file(scriptPath));
    const project = launch.nearestMlproject(scriptPath, folder);
    const mlprojectText = project === undefined ? undefined : await readFile(project, 'utf8');
    return {
      plan: launch.planLaunch({ kind: definition.kind, python, scriptPath, values, mlprojectText }),
      model,
    };
  }
  if (!definition.project) {
    throw new LaunchRefused('A modelFactory task needs a "script" or a "project" to run');
  }

  const mlprojectPath = mlprojectFile(absolute(definition.project, folder));
  const mlprojectText = await readFile(mlprojectPath, 'utf8');
  const entryPoint = definition.entryPoint ?? 'main';
  const entry = launch
    .parseMlproject(mlprojectText)
    .project?.entryPoints.find((candidate) => candidate.name === entryPoint);
  if (entry && !(await askParameters(entry, values, ask))) return undefined;
  const python = await chooseInterpreter(vscode.Uri.file(mlprojectPath));
  const plan = launch.planLaunch({
    kind: definition.kind,
    python,
    mlprojectPath,
    mlprojectText,
    entryPoint,
    values,
  });
  return { plan, model };
}

function absolute(file: string, folder: string | undefined): string {
  return path.isAbsolute(file) || !folder ? path.resolve(file) : path.resolve(folder, file);
}

function mlprojectFile(project: string): string {
  if (!existsSync(project) || !statSync(project).isDirectory()) return project;
  const yaml = path.join(project, 'MLproject.yaml');
  return existsSync(path.join(project, 'MLproject')) || !existsSync(yaml)
    ? path.join(project, 'MLproject')
    : yaml;
}

/** One input box per parameter: the required ones without a value, or all of them when asked. */
async function askParameters(
  entry: EntryPoint,
  values: Record<string, string>,
  askAll: boolean,
): Promise<boolean> {
  const { launch } = core();
  const asked = entry.parameters.filter(
    (param) => askAll || (!param.hasDefault && !Object.hasOwn(values, param.name)),
  );
  for (const [index, param] of asked.entries()) {
    const current = values[param.name] ?? param.defaultText ?? String(param.default ?? '');
    const answer = await vscode.window.showInputBox({
      title: `${entry.name}: parameter ${index + 1} of ${asked.length}`,
      prompt: `${param.name} (${param.type})${param.hasDefault ? '' : ', required'}`,
      value: current,
      ignoreFocusOut: true,
      validateInput: (text) => launch.checkParameterValue(param, text),
    });
    if (answer === undefined) return false;
    values[param.name] = answer;
  }
  return true;
}

function evaluated(store: RunStore | undefined, definition: LaunchDefinition) {
  if (!store) throw new LaunchRefused('An evaluation needs the workspace store, which is not open');
  return chooseModel(store, definition.model);
}

/** The version named in the task, or one picked from the registry's versions. */
async function chooseModel(
  store: RunStore,
  named: string | undefined,
): Promise<EvaluatedModel | undefined> {
  const { launch } = core();
  if (named) {
    const match = /^models:\/([^/]+)\/(\d+)$/.exec(named);
    if (!match)
      throw new LaunchRefused(`"model" should read models:/<name>/<version>, not ${named}`);
    return launch.evaluatedModel(store, store.getModelVersion(match[1], match[2]));
  }

  const versions = store.searchModelVersions({ maxResults: 1000 }).items;
  if (versions.length === 0) {
    throw new LaunchRefused(
      'There is no registered model version to evaluate; register a model first',
    );
  }
  const picked = await vscode.window.showQuickPick(
    versions.map((version) => ({
      label: `${version.name} v${version.version}`,
      description: version.aliases.map((alias) => `@${alias}`).join(' '),
      detail: version.source,
      version,
    })),
    { title: 'Evaluate which model version?', matchOnDescription: true, ignoreFocusOut: true },
  );
  return picked && launch.evaluatedModel(store, picked.version);
}
