import type { z } from 'zod';
import type { RunStore } from '../../store/store';
import { invalid } from '../../store/errors';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One MLflow REST endpoint: where it lives, what it accepts, and what it does with the store. */
export interface Route<S extends z.ZodType = z.ZodType> {
  path: string;
  methods: Method[];
  schema: S;
  /** Body size cap, when it differs from the default. */
  limit?: number;
  handle(store: RunStore, request: z.infer<S>): unknown;
}

export function route<S extends z.ZodType>(
  path: string,
  methods: Method[],
  schema: S,
  handle: (store: RunStore, request: z.infer<S>) => unknown,
  limit?: number,
): Route {
  return { path, methods, schema, handle, limit } as Route;
}

/** run_id, or MLflow's deprecated run_uuid. */
export function runIdOf(request: { run_id?: string; run_uuid?: string }): string {
  const runId = request.run_id ?? request.run_uuid;
  if (!runId) throw invalid("Missing value for required parameter 'run_id'.");
  return runId;
}

/** Drops an undefined next_page_token, as MLflow leaves it out on the last page. */
export function withToken<T extends object>(body: T, token: string | undefined) {
  return token ? { ...body, next_page_token: token } : body;
}
