import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../log';
import type { RunStatus } from '../../store/entities';
import { invalid } from '../../store/errors';
import { readFileRegistry } from './fileRegistry';
import {
  isDirectory,
  keyedFiles,
  parseMetricLines,
  readKeyedValues,
  readYaml,
  subdirectories,
  toNumber,
  toText,
} from './files';
import {
  RUN_ID,
  RUN_STATUS_BY_NUMBER,
  SOURCE_TYPE_BY_NUMBER,
  SOURCE_TYPES,
  type MetricSeries,
  type MlflowSource,
  type RunRef,
  type SourceDataset,
  type SourceExperiment,
  type SourceInput,
  type SourceModel,
  type SourceRun,
} from './source';

const TRASH = '.trash';
const MODELS = 'models';
/** Folders of an experiment that are not runs (`models` holds MLflow 3's logged models). */
const RESERVED = new Set(['tags', 'datasets', 'traces', 'models']);
const META = 'meta.yaml';

interface ExperimentDir {
  experimentId: string;
  dir: string;
  inTrash: boolean;
  meta: Record<string, unknown>;
}

/**
 * MLflow's file store (`mlruns/`, reference 1.7): one folder per experiment, deleted ones under
 * `.trash/`, one folder per run, and the model registry under `models/`. Like MLflow, a folder
 * without a meta.yaml is skipped with a warning rather than failing the whole store.
 */
export class FileStoreSource implements MlflowSource {
  readonly label: string;
  readonly baseDir: string;

  private constructor(
    private readonly root: string,
    private readonly experimentDirs: ExperimentDir[],
    private readonly logger: Logger,
  ) {
    this.label = `the mlruns folder ${root}`;
    this.baseDir = path.dirname(root);
  }

  static async open(root: string, logger: Logger): Promise<FileStoreSource> {
    const active = (await subdirectories(root)).filter((name) => name !== TRASH && name !== MODELS);
    const trashed = await subdirectories(path.join(root, TRASH));
    const candidates = [
      ...active.map((id) => ({ experimentId: id, dir: path.join(root, id), inTrash: false })),
      ...trashed.map((id) => ({
        experimentId: id,
        dir: path.join(root, TRASH, id),
        inTrash: true,
      })),
    ];
    const experimentDirs: ExperimentDir[] = [];
    for (const candidate of candidates) {
      const meta = await readExperimentMeta(candidate.dir, logger);
      if (meta) experimentDirs.push({ ...candidate, meta });
    }
    if (experimentDirs.length === 0) throw notAnMlrunsFolder(root);
    return new FileStoreSource(root, experimentDirs, logger);
  }

  async experiments(): Promise<SourceExperiment[]> {
    const experiments: SourceExperiment[] = [];
    for (const { experimentId, dir, inTrash, meta } of this.experimentDirs) {
      experiments.push({
        experimentId,
        name: toText(meta.name),
        lifecycleStage: inTrash || meta.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
        creationTime: toNumber(meta.creation_time),
        lastUpdateTime: toNumber(meta.last_update_time),
        tags: await readKeyedValues(path.join(dir, 'tags')),
        datasets: await readDatasets(path.join(dir, 'datasets')),
      });
    }
    return experiments;
  }

  async runRefs(): Promise<RunRef[]> {
    const refs: RunRef[] = [];
    for (const { experimentId, dir } of this.experimentDirs) {
      for (const name of await subdirectories(dir)) {
        if (RESERVED.has(name)) continue;
        const runDir = path.join(dir, name);
        if (!RUN_ID.test(name) || !fs.existsSync(path.join(runDir, META))) {
          this.logger.warn(`skipped ${runDir}: it is not a run folder (a run id and a meta.yaml)`);
          continue;
        }
        refs.push({ runId: name, experimentId, dir: runDir });
      }
    }
    return refs;
  }

  async readRun(ref: RunRef): Promise<SourceRun> {
    const dir = ref.dir!;
    const metaFile = path.join(dir, META);
    const meta = await readYaml(metaFile);
    const tags = await readKeyedValues(path.join(dir, 'tags'));
    const runName = toText(meta.run_name) || tags.find((t) => t.key === 'mlflow.runName')?.value;
    return {
      runId: ref.runId,
      experimentId: ref.experimentId,
      runName: runName ?? '',
      userId: toText(meta.user_id),
      status: runStatus(meta.status, metaFile),
      startTime: toNumber(meta.start_time),
      endTime: toNumber(meta.end_time),
      deletedTime: toNumber(meta.deleted_time),
      lifecycleStage: meta.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
      sourceType: sourceType(meta.source_type),
      sourceName: toText(meta.source_name),
      entryPointName: toText(meta.entry_point_name),
      sourceVersion: toText(meta.source_version),
      artifactUri: toText(meta.artifact_uri),
      params: await readKeyedValues(path.join(dir, 'params')),
      tags,
      metrics: await readMetrics(path.join(dir, 'metrics')),
      inputs: await this.readInputs(path.join(dir, 'inputs')),
      artifactDirs: [path.join(dir, 'artifacts')],
    };
  }

  models(): Promise<SourceModel[]> {
    return readFileRegistry(path.join(this.root, MODELS), this.logger);
  }

  close(): void {
    // Nothing is held open between reads.
  }

  private async readInputs(dir: string): Promise<SourceInput[]> {
    const inputs: SourceInput[] = [];
    for (const name of await subdirectories(dir)) {
      const meta = await readYaml(path.join(dir, name, META));
      if (meta.source_type !== 'DATASET') continue;
      const tags = meta.tags && typeof meta.tags === 'object' ? meta.tags : {};
      inputs.push({
        datasetUuid: toText(meta.source_id),
        tags: Object.entries(tags).map(([key, value]) => ({ key, value: toText(value) })),
      });
    }
    return inputs;
  }
}

/**
 * An experiment's meta.yaml names it; a run's has a run id instead, which is how a run folder
 * given in place of the mlruns folder is told apart. Others are skipped, as MLflow skips them.
 */
async function readExperimentMeta(dir: string, logger: Logger) {
  const file = path.join(dir, META);
  if (!fs.existsSync(file)) {
    logger.warn(`skipped ${dir}: it has no meta.yaml, so it is no experiment`);
    return undefined;
  }
  const meta = await readYaml(file);
  if (meta.name === undefined || meta.name === null || meta.run_id !== undefined) {
    logger.warn(`skipped ${dir}: its meta.yaml does not describe an experiment`);
    return undefined;
  }
  return meta;
}

/** Says what was wrong, and what the user probably meant when they named another folder. */
function notAnMlrunsFolder(root: string) {
  const inside = [path.join(root, 'mlruns'), path.join(root, 'mlflow.db')].find((candidate) =>
    fs.existsSync(candidate),
  );
  const hint = inside
    ? `; did you mean ${inside}?`
    : fs.existsSync(path.join(root, META))
      ? '; it looks like the folder of one experiment or run: name the mlruns folder above it'
      : '';
  return invalid(
    `${root} is not an MLflow mlruns folder: no experiment folder in it has a meta.yaml${hint}`,
  );
}

async function readDatasets(dir: string): Promise<SourceDataset[]> {
  const datasets: SourceDataset[] = [];
  for (const name of await subdirectories(dir)) {
    const meta = await readYaml(path.join(dir, name, META));
    datasets.push({
      datasetUuid: name,
      name: toText(meta.name),
      digest: toText(meta.digest),
      sourceType: toText(meta.source_type),
      source: toText(meta.source),
      ...(meta.schema != null ? { schema: toText(meta.schema) } : {}),
      ...(meta.profile != null ? { profile: toText(meta.profile) } : {}),
    });
  }
  return datasets;
}

async function readMetrics(dir: string): Promise<MetricSeries[]> {
  if (!(await isDirectory(dir))) return [];
  const series: MetricSeries[] = [];
  for (const { key, file } of await keyedFiles(dir)) {
    const text = await fs.promises.readFile(file, 'utf8');
    series.push({ key, points: parseMetricLines(key, file, text) });
  }
  return series;
}

/** The file store writes the status as MLflow's enum number; a missing one means RUNNING. */
function runStatus(value: unknown, file: string): RunStatus {
  if (value === undefined || value === null) return 'RUNNING';
  const status =
    RUN_STATUS_BY_NUMBER[Number(value)] ??
    Object.values(RUN_STATUS_BY_NUMBER).find((name) => name === value);
  if (status) return status;
  throw invalid(`${file} has the run status ${JSON.stringify(value)}, which MLflow does not know`);
}

function sourceType(value: unknown): string {
  if (typeof value === 'string' && SOURCE_TYPES.includes(value)) return value;
  return SOURCE_TYPE_BY_NUMBER[Number(value)] ?? 'UNKNOWN';
}
