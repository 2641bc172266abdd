/** Serving, scoring, registering and comparing model versions, and the CI workflow. */
export { ciWorkflow, LOGS_DIR, WORKFLOW_PATH, type CiWorkflowOptions } from './ci';
export {
  compareVersions,
  EVALUATED_MODEL_TAG,
  metricDirection,
  type Comparison,
  type Direction,
  type MetricReading,
} from './compare';
export { DeployError } from './errors';
export {
  liveVersions,
  parseModelUri,
  resolveModelUri,
  type ModelReference,
  type ResolvedModel,
} from './modelUri';
export { bundledPythonDir, PYTHON_ENV, pythonCommand } from './python';
export {
  registerRun,
  registerRunThrough,
  type RegisterOptions,
  type Registration,
} from './register';
export {
  scoreFile,
  startScoringServer,
  type ScoreFileOptions,
  type ScoreResult,
  type ScoringServer,
  type ScoringServerOptions,
} from './scoring';
