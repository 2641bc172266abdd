/**
 * The deploy feature's vscode-free parts: the core's serving, scoring and CI workflow, the data
 * reader for "Try it", and the request and run helpers. They travel in dist/core.js
 * (src/vscode/deferred.ts re-exports this file) and are reached through core().deploy, so that
 * dist/extension.js stays small.
 */
export {
  ciWorkflow,
  DeployError,
  pythonCommand,
  resolveModelUri,
  scoreFile,
  startScoringServer,
  WORKFLOW_PATH,
} from '../../core/deploy';
export { readTable } from '../../core/data/read';
export { fileDigest } from '../../core/data/digest';
export { parseMlproject } from '../../core/projects/mlproject';
export { trainingDataOf } from '../../core/drift/trainingData';
export {
  asRequest,
  exampleRequest,
  resultText,
  tableRequest,
  type ExampleRequest,
} from './example';
export { logScoringRun, scoredPath, SCORED_FILE_TAG, SCORED_MODEL_TAG } from './scoringRun';
export { workflowAnswers, type WorkflowProject } from './workflowOptions';
