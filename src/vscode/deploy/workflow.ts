import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import { core } from '../core';
import { log, reportFailure } from '../log';
import type { Services } from '../services';
import type { WorkflowProject } from './workflowOptions';

const DATA_FILE = /\.(csv|tsv|jsonl|ndjson|parquet)$/i;
const IGNORED = '**/{node_modules,.git,.venv,venv,.modelfactory}/**';

/**
 * "Create CI Workflow": asks the model, the metric and the data, shows the GitHub Actions
 * workflow, and writes .github/workflows/model-factory.yml only once the user says so (and says
 * so again to replace an existing one). Returns the path written, if any.
 */
export async function createCiWorkflow(services: Services): Promise<string | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    void vscode.window.showWarningMessage('Create CI Workflow needs a folder: open one first.');
    return undefined;
  }
  try {
    const project = await chooseProject(root);
    if (!project) return undefined;
    const yaml = await askAndGenerate(services.tracking.runStore, project);
    if (!yaml) return undefined;
    return await showAndWrite(root, yaml);
  } catch (error) {
    if (error instanceof Error && error.name === 'DeployError') {
      void vscode.window.showErrorMessage(`Cannot create the workflow: ${error.message}`);
      return undefined;
    }
    await reportFailure('Creating the CI workflow', error, 'See the Model Factory log.');
    return undefined;
  }
}

async function askAndGenerate(
  store: RunStore | undefined,
  project: WorkflowProject,
): Promise<string | undefined> {
  const modelName = await askModelName(store);
  if (!modelName) return undefined;
  const metric = await askMetric(store, modelName);
  if (!metric) return undefined;
  const projectDir = path.dirname(project.mlprojectPath!);
  const referenceData = await askReferenceData(store, modelName, projectDir);
  if (!referenceData) return undefined;
  const newData = await askNewData(projectDir, referenceData);
  if (!newData) return undefined;

  const { deploy } = core();
  const options = deploy.workflowAnswers(project, { modelName, metric, referenceData, newData });
  return deploy.ciWorkflow(options);
}

/** The MLproject whose entry points the workflow runs: the only one, or the one picked. */
async function chooseProject(root: string): Promise<WorkflowProject | undefined> {
  const found = await vscode.workspace.findFiles('**/{MLproject,MLproject.yaml}', IGNORED, 50);
  const files = found
    .map((uri) => uri.fsPath)
    .filter((file) => /^MLproject(\.yaml)?$/.test(path.basename(file)) && isInside(root, file));
  if (files.length === 0) {
    void vscode.window.showWarningMessage(
      'Create CI Workflow needs an MLproject with a train entry point: the workflow retrains with `model-factory run`.',
    );
    return undefined;
  }
  const mlprojectPath =
    files.length === 1
      ? files[0]
      : (
          await vscode.window.showQuickPick(
            files.map((file) => ({ label: path.relative(root, file), file })),
            { title: 'Which project does the workflow retrain?' },
          )
        )?.file;
  if (!mlprojectPath) return undefined;
  return { root, mlprojectPath, mlprojectText: await readFile(mlprojectPath, 'utf8') };
}

async function askModelName(store: RunStore | undefined): Promise<string | undefined> {
  const names = store ? store.searchRegisteredModels({ maxResults: 1000 }).items : [];
  if (names.length > 0) {
    const picked = await vscode.window.showQuickPick(
      names.map((model) => ({ label: model.name })),
      { title: 'Which registered model does the workflow retrain and promote?' },
    );
    return picked?.label;
  }
  return vscode.window.showInputBox({
    title: 'The registered model the workflow retrains and promotes',
    prompt: 'Its first run, started by hand, registers the first version.',
    validateInput: (value) => (value.trim() === '' ? 'A model name is needed' : undefined),
  });
}

/** A metric of the model's newest version's run, or one typed (a first run has none yet). */
async function askMetric(store: RunStore | undefined, modelName: string) {
  const metrics = store ? newestRunMetrics(store, modelName) : [];
  if (metrics.length > 0) {
    const picked = await vscode.window.showQuickPick(metrics, {
      title: `Promote a retrained ${modelName} when it is better on which metric?`,
    });
    return picked;
  }
  return vscode.window.showInputBox({
    title: 'The metric that decides a promotion (such as auc or rmse)',
    prompt: 'Names with loss, error, rmse, mae… are lower-is-better; others higher-is-better.',
    validateInput: (value) => (value.trim() === '' ? 'A metric name is needed' : undefined),
  });
}

function newestRunMetrics(store: RunStore, modelName: string): string[] {
  const versions = core().models.versionsOf(store, modelName);
  const runId = versions.find((version) => version.runId)?.runId;
  if (!runId) return [];
  return store
    .getRun(runId)
    .data.metrics.map((metric) => metric.key)
    .sort();
}

/** The champion's training data first, then the project's data files. */
async function askReferenceData(
  store: RunStore | undefined,
  modelName: string,
  projectDir: string,
) {
  const recorded = store ? trainingData(store, modelName) : undefined;
  const training = recorded && isInside(projectDir, recorded) ? recorded : undefined;
  const found = await vscode.workspace.findFiles(
    '**/*.{csv,tsv,jsonl,ndjson,parquet}',
    IGNORED,
    200,
  );
  const files = found
    .map((uri) => uri.fsPath)
    .filter((file) => DATA_FILE.test(file) && isInside(projectDir, file) && file !== training);
  const item = (file: string) => ({ label: path.relative(projectDir, file), file });
  const first = training ? [{ ...item(training), description: 'training data' }] : [];
  const items = [...first, ...files.map(item)];
  if (items.length === 0) {
    void vscode.window.showWarningMessage(
      'The project folder has no data file to use as the reference.',
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'The reference data: what the current model was trained on',
  });
  return picked?.file;
}

function trainingData(store: RunStore, modelName: string): string | undefined {
  const versions = core().models.versionsOf(store, modelName);
  const champion = versions.find((version) => version.aliases.includes('champion')) ?? versions[0];
  if (!champion) return undefined;
  return core().deploy.trainingDataOf(store, champion.name, champion.version)?.path;
}

async function askNewData(projectDir: string, referenceData: string) {
  const suggestion = path.join(path.relative(projectDir, path.dirname(referenceData)), 'new.csv');
  const answer = await vscode.window.showInputBox({
    title: 'Where new data lands, relative to the project folder',
    prompt: 'Pushes that change this file (or its folder) start the workflow.',
    value: suggestion.split(path.sep).join('/'),
    validateInput: (value) =>
      value.trim() === '' || value.split(/[\\/]/).includes('..')
        ? 'A path inside the project folder'
        : undefined,
  });
  return answer === undefined ? undefined : path.resolve(projectDir, answer.trim());
}

/** Shows the workflow, then writes it only on confirmation; an existing file is never replaced silently. */
async function showAndWrite(root: string, yaml: string): Promise<string | undefined> {
  const workflowPath = core().deploy.WORKFLOW_PATH;
  const target = path.join(root, ...workflowPath.split('/'));
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: yaml });
  await vscode.window.showTextDocument(document, { preview: true });

  const exists = existsSync(target);
  const action = exists ? 'Replace' : 'Write';
  const question = exists
    ? vscode.window.showWarningMessage(
        `${workflowPath} already exists. Replace it with this workflow?`,
        { modal: true, detail: 'The current file is overwritten; commit it first to keep it.' },
        action,
      )
    : vscode.window.showInformationMessage(
        `Write this workflow to ${workflowPath}?`,
        {
          modal: true,
          detail: 'Commit it to run it on GitHub Actions; start its first run by hand.',
        },
        action,
      );
  if ((await question) !== action) return undefined;

  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, yaml);
  log.info(`wrote the CI workflow ${target}`);
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  return target;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
