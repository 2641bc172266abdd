import * as path from 'node:path';
import { DeployError, type CiWorkflowOptions } from '../../core/deploy';
import { parseMlproject } from '../../core/projects/mlproject';

/**
 * The CI workflow's options from what "Create CI Workflow" asked, with the rest read from the
 * MLproject: which entry point trains, which evaluates, and which parameter takes the data.
 */

export interface WorkflowProject {
  /** The repository's root: the workspace folder the workflow goes into. */
  root: string;
  /** The MLproject file, when the workspace has one. */
  mlprojectPath?: string;
  mlprojectText?: string;
}

export interface WorkflowAnswers {
  modelName: string;
  metric: string;
  /** Absolute paths, inside the project folder's repository. */
  referenceData: string;
  newData: string;
}

export function workflowAnswers(
  project: WorkflowProject,
  answers: WorkflowAnswers,
): CiWorkflowOptions {
  const projectDir = project.mlprojectPath ? path.dirname(project.mlprojectPath) : project.root;
  const entries = project.mlprojectText
    ? (parseMlproject(project.mlprojectText).project?.entryPoints ?? [])
    : [];
  const names = entries.map((entry) => entry.name);
  const trainEntry =
    names.find((name) => name === 'train') ?? names.find((name) => /^train/i.test(name)) ?? 'main';
  const train = entries.find((entry) => entry.name === trainEntry);
  const dataParam =
    train?.parameters.find((p) => p.name === 'data')?.name ??
    train?.parameters.find((p) => p.type === 'path')?.name ??
    'data';

  return {
    modelName: answers.modelName,
    metric: answers.metric,
    project: inside(project.root, projectDir, 'the MLproject') || '.',
    trainEntry,
    evaluateEntry: names.find((name) => /^eval/i.test(name)) ?? null,
    dataParam,
    referenceData: inside(projectDir, answers.referenceData, 'the reference data'),
    newData: inside(projectDir, answers.newData, 'the new data'),
  };
}

/** `file` relative to `folder`, with `/`; the workflow runs on a checkout, so it must be inside. */
function inside(folder: string, file: string, what: string): string {
  const relative = path.relative(folder, file).split(path.sep).join('/');
  if (relative.startsWith('../') || relative === '..' || path.isAbsolute(relative)) {
    throw new DeployError(
      `${what} (${file}) is outside ${folder}; the workflow runs on a checkout of the repository, so it can only use files in it`,
    );
  }
  return relative;
}
