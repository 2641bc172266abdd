/**
 * The launcher's core, as the extension reaches it through core() (dist/core.js): planning pulls
 * the yaml parser, too large for the activation bundle.
 */
export {
  LaunchRecordError,
  runRecorded,
  runTracked,
  type LaunchOutcome,
  type RecordedOptions,
  type TrackedOptions,
} from './launch';
export { storeRecorder, type RunRecorder } from './launchRecorder';
export { remoteRecorder, type RemoteTarget } from './launchRemote';
export {
  evaluatedModel,
  evaluationTargets,
  type EvaluatedModel,
  type EvaluationTarget,
} from './launchEvaluate';
export { displayCommand, LaunchError, planLaunch, type LaunchPlan } from './launchPlan';
export { nearestMlproject } from './launchProject';
export { spawnRunner, type ProcessRunner } from './launchProcess';
export { CommandError } from './command';
export { parseMlproject } from './mlproject';
export { checkParameterValue } from './values';
