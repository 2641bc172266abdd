import path from 'node:path';
import type { ModelVersion } from '../store/entities';
import type { RunStore } from '../store/store';
import { runArtifactLocation } from '../tracking/artifacts/listing';
import { parseMlproject } from './mlproject';

/** The model version an evaluation run evaluates, as its script receives it. */
export interface EvaluatedModel {
  name: string;
  version: string;
  /** models:/name/version, the MODEL_URI the script gets. */
  uri: string;
  /** The version's artifacts on this machine, the MODEL_PATH the script gets. */
  path: string;
}

/** Where a version's model lives locally, from its source (runs:/ or the run's artifact URI). */
export function evaluatedModel(store: RunStore, version: ModelVersion): EvaluatedModel {
  return {
    name: version.name,
    version: version.version,
    uri: `models:/${version.name}/${version.version}`,
    path: modelPath(store, version),
  };
}

function modelPath(store: RunStore, version: ModelVersion): string {
  const runSource = /^runs:\/([^/]+)\/?(.*)$/.exec(version.source);
  if (runSource) {
    const run = store.getRun(runSource[1]);
    return inArtifacts(store, run.info.artifactUri, runSource[2]);
  }
  return inArtifacts(store, version.source, '');
}

function inArtifacts(store: RunStore, artifactUri: string, relative: string): string {
  const location = runArtifactLocation(store.artifactsDir, artifactUri);
  const parts = relative.split('/').filter((part) => part !== '' && part !== '.');
  // A source like runs:/<id>/../../x must not lead the script outside the run's artifacts.
  if (parts.includes('..')) throw new Error(`The model source ${relative} leaves its run`);
  return path.join(location.root, ...location.segments, ...parts);
}

/**
 * Appends the evaluation to the version's description, so the registry shows how each version
 * fared without opening runs: "Evaluated by run <id> on <date>: accuracy 0.81, log_loss 0.43".
 */
export function recordEvaluation(
  store: RunStore,
  runId: string,
  model: EvaluatedModel,
  now = new Date(),
): void {
  const run = store.getRun(runId);
  const summary =
    [...run.data.metrics]
      .sort((a, b) => a.key.localeCompare(b.key))
      .slice(0, 6)
      .map((metric) => `${metric.key} ${formatValue(metric.value)}`)
      .join(', ') || 'no metrics logged';
  const date = now.toISOString().slice(0, 16).replace('T', ' ');
  const line = `Evaluated by run ${runId} on ${date} UTC: ${summary}`;

  const current = store.getModelVersion(model.name, model.version).description ?? '';
  const description = current.trim() === '' ? line : `${current.trimEnd()}\n${line}`;
  store.updateModelVersion(model.name, model.version, description);
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}

/** An MLproject entry point that evaluates: where "Evaluate…" on a model version can run. */
export interface EvaluationTarget {
  mlprojectPath: string;
  entryPoint: string;
}

/**
 * The eval… entry points of the given MLproject files, those of the project that trained the
 * version (its run's mlflow.source.name) first, so that project is the one offered by default.
 * Files that do not parse contribute nothing; their diagnostics say why in the editor.
 */
export function evaluationTargets(
  projects: { path: string; text: string }[],
  trainedIn: string | undefined,
): EvaluationTarget[] {
  const targets = projects.flatMap(({ path: mlprojectPath, text }) =>
    (parseMlproject(text).project?.entryPoints ?? [])
      .filter((entryPoint) => /^eval/i.test(entryPoint.name))
      .map((entryPoint) => ({ mlprojectPath, entryPoint: entryPoint.name })),
  );
  const rank = (target: EvaluationTarget) => (target.mlprojectPath === trainedIn ? 0 : 1);
  return targets.sort(
    (a, b) => rank(a) - rank(b) || a.mlprojectPath.localeCompare(b.mlprojectPath),
  );
}
