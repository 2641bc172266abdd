import { invalid } from './errors';

/**
 * Page tokens are opaque to clients, as in MLflow: base64 of a small JSON object holding the
 * offset of the next page. A token that does not decode is a client error, not a crash.
 */
export function decodePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
      offset?: unknown;
    };
    if (
      typeof parsed.offset === 'number' &&
      Number.isSafeInteger(parsed.offset) &&
      parsed.offset >= 0
    ) {
      return parsed.offset;
    }
  } catch {
    // Falls through to the error below.
  }
  throw invalid(
    `Invalid page token '${token.slice(0, 40)}': use the next_page_token of a response`,
  );
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

/** Runs a query for one page: asks for one row more than the page to know whether more exist. */
export function pageOf<T>(
  rows: (limit: number, offset: number) => T[],
  maxResults: number,
  pageToken: string | undefined,
): { items: T[]; nextPageToken?: string } {
  const offset = decodePageToken(pageToken);
  const items = rows(maxResults + 1, offset);
  if (items.length <= maxResults) return { items };
  return { items: items.slice(0, maxResults), nextPageToken: encodePageToken(offset + maxResults) };
}
