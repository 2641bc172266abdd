import { silentLogger, type Logger } from '../../log';
import type { Run, RunStatus, Tag } from '../../store/entities';
import { isAbort } from './errors';

/**
 * What push and pull share: the tags that make them idempotent, the counts they report, and the
 * error that says how far a failed transfer got.
 */

/** On a pushed run: the id of the local run it is a copy of, so a second push finds it. */
export const SOURCE_RUN_TAG = 'modelfactory.source_run_id';
/** On a copied model version: its number where it came from, when the numbers differ. */
export const SOURCE_VERSION_TAG = 'modelfactory.source_version';
export const PARENT_RUN_TAG = 'mlflow.parentRunId';

export interface TransferSummary {
  /** Experiments created on the receiving side. */
  experiments: number;
  runsCreated: number;
  /** Runs that existed on the receiving side and got something new. */
  runsUpdated: number;
  runsUnchanged: number;
  /** Runs left alone: their copy was deleted on the receiving side. */
  runsSkipped: number;
  metricPoints: number;
  params: number;
  tags: number;
  inputs: number;
  /** Artifact files copied, and their bytes. */
  artifacts: number;
  artifactBytes: number;
  /** Registered models and model versions created, and aliases set. */
  models: number;
  versions: number;
  aliases: number;
  /** Warnings logged: params that differ, artifacts out of reach, versions left out. */
  warnings: number;
}

export type RunState = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface TransferProgress {
  direction: 'push' | 'pull';
  phase: 'runs' | 'models';
  /** Runs (or models) done so far, out of `total`. */
  done: number;
  total: number;
  /** The run just done, by its id on the sending side, and what happened to it. */
  runId?: string;
  state?: RunState;
  summary: Readonly<TransferSummary>;
}

export interface TransferOptions {
  /** Stops the transfer between requests; what is done stays done, and a rerun carries on. */
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
  /** Gets warnings (a param that differs, artifacts out of reach); never secrets. */
  logger?: Logger;
}

export function emptySummary(): TransferSummary {
  return {
    experiments: 0,
    runsCreated: 0,
    runsUpdated: 0,
    runsUnchanged: 0,
    runsSkipped: 0,
    metricPoints: 0,
    params: 0,
    tags: 0,
    inputs: 0,
    artifacts: 0,
    artifactBytes: 0,
    models: 0,
    versions: 0,
    aliases: 0,
    warnings: 0,
  };
}

/** Counts what a transfer does, reports progress and warnings. */
export class Tally {
  readonly summary = emptySummary();
  readonly logger: Logger;
  /** The run being copied, for the error message when it fails. */
  current: string | undefined;

  constructor(
    readonly direction: 'push' | 'pull',
    private readonly options: TransferOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  add(counts: Partial<TransferSummary>): void {
    for (const [key, value] of Object.entries(counts) as Array<[keyof TransferSummary, number]>) {
      this.summary[key] += value;
    }
  }

  warn(message: string): void {
    this.summary.warnings += 1;
    this.logger.warn(message);
  }

  report(progress: Omit<TransferProgress, 'direction' | 'summary'>): void {
    this.options.onProgress?.({ ...progress, direction: this.direction, summary: this.summary });
  }
}

/**
 * A push or pull that stopped part-way: `summary` says what was copied before it stopped (all of
 * it whole: runs are finished or resumed by the next transfer, never duplicated).
 */
export class TransferError extends Error {
  override readonly name = 'TransferError';

  constructor(
    readonly direction: 'push' | 'pull',
    readonly reason: unknown,
    readonly summary: TransferSummary,
    readonly runId?: string,
  ) {
    const at = runId ? ` at run ${runId}` : '';
    const why = isAbort(reason) ? 'cancelled' : errorMessage(reason);
    super(`${direction} stopped${at}: ${why}`, { cause: reason });
  }

  get aborted(): boolean {
    return isAbort(this.reason);
  }

  get code(): string {
    const code = (this.reason as { code?: unknown })?.code;
    return typeof code === 'string' ? code : 'TRANSFER_FAILED';
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Which count of the summary a run's outcome adds to. */
export const STATE_COUNT: Record<RunState, keyof TransferSummary> = {
  created: 'runsCreated',
  updated: 'runsUpdated',
  unchanged: 'runsUnchanged',
  skipped: 'runsSkipped',
};

export const tagValue = (tags: Tag[], key: string): string | undefined =>
  tags.find((t) => t.key === key)?.value;

const TERMINAL: RunStatus[] = ['FINISHED', 'FAILED', 'KILLED'];

/**
 * Whether a copy should take the source's status. A run never goes back from an end state to
 * RUNNING: a run pushed part-way stays RUNNING on the remote, and pulling it back must not undo
 * the FINISHED of the run it came from.
 */
export function statusToCopy(destination: RunStatus, source: RunStatus): RunStatus | undefined {
  if (destination === source) return undefined;
  if (TERMINAL.includes(destination) && !TERMINAL.includes(source)) return undefined;
  return source;
}

/** Runs ordered so that a parent comes before the runs nested in it, for mapping parent ids. */
export function parentsFirst(runs: Run[]): Run[] {
  const byId = new Map(runs.map((run) => [run.info.runId, run]));
  const ordered: Run[] = [];
  const placed = new Set<string>();
  const visit = (run: Run, depth: number) => {
    if (placed.has(run.info.runId)) return;
    const parent = byId.get(tagValue(run.data.tags, PARENT_RUN_TAG) ?? '');
    // The depth bound breaks a cycle of parents, which MLflow does not forbid.
    if (parent && parent !== run && depth < 100) visit(parent, depth + 1);
    if (placed.has(run.info.runId)) return;
    placed.add(run.info.runId);
    ordered.push(run);
  };
  for (const run of runs) visit(run, 0);
  return ordered;
}

/** An input's identity: its dataset and its context (training, evaluation, ...). */
export function inputKey(input: { tags: Tag[]; dataset: { name: string; digest: string } }) {
  const context = tagValue(input.tags, 'mlflow.data.context') ?? '';
  return `${input.dataset.name}\u0000${input.dataset.digest}\u0000${context}`;
}

/** A metric point's identity, NaN included (NaN !== NaN would make every NaN point new). */
export function pointKey(point: { step: number; timestamp: number; value: number }): string {
  return `${point.step}|${point.timestamp}|${Number.isNaN(point.value) ? 'NaN' : point.value}`;
}
