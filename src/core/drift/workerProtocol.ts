import type { DriftCheckRequest } from './check';
import type { DriftProgress, DriftReport } from './types';

/** Messages between the drift worker and its client, in both directions. */
export type WorkerRequest =
  | { id: number; job: 'ping' }
  | { id: number; job: 'check'; request: DriftCheckRequest }
  | { id: number; job: 'cancel'; target: number };

export type WorkerReply =
  | { id: number; kind: 'progress'; progress: DriftProgress }
  | { id: number; kind: 'result'; report: DriftReport | null }
  | { id: number; kind: 'error'; code: 'cancelled' | 'input' | 'internal'; message: string };
