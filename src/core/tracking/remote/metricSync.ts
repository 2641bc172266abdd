import type { Metric, Tag } from '../../store/entities';
import { Limits } from '../../store/validation';
import type { MlflowClient } from './client';
import { isAmbiguous } from './errors';
import { pointKey } from './transfer';

/**
 * Metric histories across the wire: which points the other side lacks, and sending them in
 * log-batch requests within MLflow's limits, without ever sending a point twice.
 */

/** A log-batch body stays under MLflow's 1 MB cap, with room for the JSON around the items. */
export const BATCH_BYTES = 900 * 1024;

/** Items in order, in chunks of at most `maxCount` items and about `maxBytes` of JSON. */
export function* chunks<T>(
  items: T[],
  maxCount: number,
  size: (item: T) => number,
  maxBytes = BATCH_BYTES,
): Generator<T[]> {
  let chunk: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const itemBytes = size(item);
    if (chunk.length > 0 && (chunk.length === maxCount || bytes + itemBytes > maxBytes)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += itemBytes;
  }
  if (chunk.length > 0) yield chunk;
}

/** A point's JSON is about 90 bytes besides its key; an overestimate keeps batches under the cap. */
const pointBytes = (point: Metric) => Buffer.byteLength(point.key) + 100;
const tagBytes = (tag: Tag) => Buffer.byteLength(tag.key) + Buffer.byteLength(tag.value) + 40;

/** Params, then tags, in batches; both are safe to send twice, so these are retried freely. */
export async function sendParamsAndTags(
  remote: MlflowClient,
  runId: string,
  params: Tag[],
  tags: Tag[],
): Promise<void> {
  for (const batch of chunks(params, Limits.batchParams, tagBytes)) {
    await remote.runs.logBatch(runId, { params: batch });
  }
  for (const batch of chunks(tags, Limits.batchTags, tagBytes)) {
    await remote.runs.logBatch(runId, { tags: batch });
  }
}

/**
 * The points of one metric the other side lacks, given its latest point. Points go out in
 * history order and each batch lands whole or not at all, so a side whose latest point is our
 * last has them all, and nothing needs fetching; otherwise its history is fetched and compared.
 *
 * FIXME: a point logged on one side after a copy, with an earlier step and timestamp than that
 * side's latest point, is not noticed by the next copy unless the latest point changed too; the
 * other side then lacks that one point.
 */
export async function missingPoints(
  local: Metric[],
  latest: Metric | undefined,
  otherHistory: () => Promise<Metric[]>,
): Promise<Metric[]> {
  if (local.length === 0) return [];
  if (!latest) return local;
  if (pointKey(local[local.length - 1]) === pointKey(latest)) return [];
  const present = new Set((await otherHistory()).map(pointKey));
  return local.filter((point) => !present.has(pointKey(point)));
}

export async function remoteHistory(
  remote: MlflowClient,
  runId: string,
  key: string,
): Promise<Metric[]> {
  const points: Metric[] = [];
  for await (const point of remote.runs.history(runId, key)) points.push(point);
  return points;
}

/**
 * Sends metric points in batches of up to 1000, gathered across keys so that a run of many short
 * metrics costs few requests. A batch whose outcome is unknown (the connection dropped after it
 * went out, a 500) is not sent again blindly: the run's histories of its keys are fetched, and
 * only the points still missing are sent, so a retried batch never appends a point twice.
 */
export class MetricUploader {
  private pending: Metric[] = [];
  sent = 0;

  constructor(
    private readonly remote: MlflowClient,
    private readonly runId: string,
    private readonly onSent: (points: number) => void = () => undefined,
  ) {}

  async add(points: Metric[]): Promise<void> {
    for (const point of points) this.pending.push(point);
    if (this.pending.length >= Limits.batchMetrics) await this.send(false);
  }

  async flush(): Promise<void> {
    await this.send(true);
  }

  private async send(all: boolean): Promise<void> {
    const batches = [...chunks(this.pending, Limits.batchMetrics, pointBytes)];
    const last = batches.at(-1);
    const keep = !all && last && last.length < Limits.batchMetrics ? batches.pop()! : [];
    for (const batch of batches) {
      await this.sendBatch(batch);
      this.sent += batch.length;
      this.onSent(batch.length);
    }
    this.pending = keep;
  }

  private async sendBatch(batch: Metric[], reconciliations = 3): Promise<void> {
    try {
      await this.remote.runs.logBatch(this.runId, { metrics: batch }, { idempotent: false });
    } catch (error) {
      if (!isAmbiguous(error) || reconciliations === 0) throw error;
      const missing = await this.stillMissing(batch);
      if (missing.length > 0) await this.sendBatch(missing, reconciliations - 1);
    }
  }

  private async stillMissing(batch: Metric[]): Promise<Metric[]> {
    const present = new Set<string>();
    for (const key of new Set(batch.map((point) => point.key))) {
      for (const point of await remoteHistory(this.remote, this.runId, key)) {
        present.add(`${key}\u0000${pointKey(point)}`);
      }
    }
    return batch.filter((point) => !present.has(`${point.key}\u0000${pointKey(point)}`));
  }
}
