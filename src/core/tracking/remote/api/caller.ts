import type { Page } from '../../../store/entities';
import { isRemoteError } from '../errors';
import type { HttpMethod, HttpResponse } from '../http';
import type { Exchange } from '../connection';

export interface CallOptions {
  /** False for calls that must not take effect twice; see SendOptions.idempotent. */
  idempotent?: boolean;
}

/** What the endpoint groups need from the client: JSON calls, and raw exchanges for files. */
export interface Caller {
  /** Calls `/api/2.0/mlflow/<path>`. */
  call<T>(
    method: HttpMethod,
    path: string,
    input?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<T>;
  exchange(exchange: Exchange, options?: CallOptions & { what?: string }): Promise<HttpResponse>;
}

/** Every item of a paged search, page after page, following MLflow's opaque page tokens. */
export async function* allPages<T>(
  fetchPage: (pageToken: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    yield* page.items;
    token = page.nextPageToken || undefined;
    // A server that hands out the same token again would otherwise page forever.
    if (token !== undefined && seen.has(token)) return;
    if (token !== undefined) seen.add(token);
  } while (token !== undefined);
}

/** Every item of an async iterable, in an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The value, or undefined when the server says it does not exist. */
export async function orMissing<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (error) {
    if (isRemoteError(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
    throw error;
  }
}

/** A string literal for MLflow's filter syntax, quoted with whichever quote it does not hold. */
export function filterString(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return `'${value.replaceAll("'", "\\'")}'`;
}
