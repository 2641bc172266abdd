import { parseJson } from '../body';
import { RemoteError, isTlsError, networkErrorMessage } from './errors';
import type { HttpResponse } from './http';
import { NetworkFailure } from './http';

/** Which credentials a client sends, for messages about a refusal (never the secrets). */
export type Credentials =
  { kind: 'none' } | { kind: 'token' } | { kind: 'basic'; username: string };

/** Statuses worth another try: the server was busy, restarting, or behind a failing proxy. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Of those, the ones that say the request was not acted on. */
const REFUSED_STATUS = new Set([408, 429, 503]);

/**
 * Turns an exchange that got no answer into a RemoteError. `firstContact` is true until the
 * server has answered once: a reset then, on plain http, is what an https port does.
 */
export function networkError(
  origin: string,
  what: string,
  failure: unknown,
  firstContact = false,
): RemoteError {
  if (!(failure instanceof NetworkFailure)) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return new RemoteError(`${what} on ${origin} failed: ${message}`, {
      kind: 'http',
      cause: failure,
    });
  }
  const { error, reached, timedOut } = failure;
  if (timedOut) {
    return new RemoteError(
      `${origin} did not answer ${what} in time: the server may be overloaded, or a firewall ` +
        'or proxy holds the connection',
      { kind: 'timeout', ambiguous: reached, retryable: true, cause: error },
    );
  }
  const tls = isTlsError(error);
  const fatal = tls || error.code === 'ENOTFOUND';
  const plain = firstContact && origin.startsWith('http:') && error.code === 'ECONNRESET';
  const hint = plain ? '; if the server speaks https, use an https:// URL' : '';
  return new RemoteError(networkErrorMessage(origin, error) + hint, {
    kind: tls ? 'tls' : 'unreachable',
    ambiguous: reached,
    retryable: !fatal,
    cause: error,
  });
}

export function responseError(
  origin: string,
  what: string,
  response: HttpResponse,
  credentials: Credentials,
): RemoteError {
  const { status } = response;
  const body = jsonObject(response);
  const errorCode = typeof body?.error_code === 'string' ? body.error_code : undefined;
  const serverMessage = typeof body?.message === 'string' ? body.message : undefined;
  const common = { status, errorCode, retryAfterSeconds: retryAfter(response) };

  if (status === 401 || errorCode === 'UNAUTHENTICATED') {
    return new RemoteError(credentialsMessage(origin, credentials), { ...common, kind: 'auth' });
  }
  if (status === 403 || errorCode === 'PERMISSION_DENIED') {
    const detail = serverMessage ? `: ${serverMessage}` : '';
    return new RemoteError(
      `${origin} refused ${what} (403 Forbidden${detail}): the account has no permission for it; ` +
        "ask the server's admin for access",
      { ...common, kind: 'auth' },
    );
  }
  if (status >= 300 && status < 400) {
    return new RemoteError(redirectMessage(origin, response), { ...common, kind: 'not-mlflow' });
  }
  const retryable = RETRYABLE_STATUS.has(status);
  const ambiguous = retryable && !REFUSED_STATUS.has(status);
  if (errorCode && serverMessage !== undefined) {
    return new RemoteError(`${origin} refused ${what}: ${serverMessage} (${errorCode})`, {
      ...common,
      kind: 'api',
      retryable,
      ambiguous,
    });
  }
  return new RemoteError(
    `${origin} answered ${what} with ${status}${statusText(status)} and ${describeBody(response)}`,
    { ...common, kind: retryable ? 'http' : 'not-mlflow', retryable, ambiguous },
  );
}

function credentialsMessage(origin: string, credentials: Credentials): string {
  if (credentials.kind === 'token') {
    return (
      `${origin} rejected the token (401 Unauthorized): check --token or MLFLOW_TRACKING_TOKEN; ` +
      'a server with basic authentication takes MLFLOW_TRACKING_USERNAME and ' +
      'MLFLOW_TRACKING_PASSWORD instead'
    );
  }
  if (credentials.kind === 'basic') {
    return (
      `${origin} rejected the user name and password of '${credentials.username}' ` +
      '(401 Unauthorized): check MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD'
    );
  }
  return (
    `${origin} needs credentials (401 Unauthorized): give a token with --token or ` +
    'MLFLOW_TRACKING_TOKEN, or a user name and password with MLFLOW_TRACKING_USERNAME and ' +
    'MLFLOW_TRACKING_PASSWORD'
  );
}

function redirectMessage(origin: string, response: HttpResponse): string {
  const location = String(response.headers.location ?? 'another address');
  return (
    `${origin} redirects to ${location}: that looks like a sign-in page or a proxy in front of ` +
    "MLflow; MLflow's REST API must answer at this URL directly (with a token or a password), " +
    'or the URL needs the path MLflow is served under'
  );
}

/** The JSON object a response holds, if it holds one. */
export function jsonObject(response: HttpResponse): Record<string, unknown> | undefined {
  const text = response.body.toString('utf8').trim();
  if (!text.startsWith('{')) return undefined;
  try {
    const value = parseJson(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** What a body looks like, for messages about a server that does not answer as MLflow does. */
export function describeBody(response: HttpResponse): string {
  const text = response.body.toString('utf8').trim();
  const server = response.headers.server ? ` (server: ${String(response.headers.server)})` : '';
  if (text === '') return `an empty body${server}`;
  const type = String(response.headers['content-type'] ?? '');
  if (/html/i.test(type) || /^<(!doctype|html|head|body)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    return `an HTML page${title ? ` titled '${title.slice(0, 80)}'` : ''}${server}`;
  }
  const json = jsonObject(response);
  if (json) {
    const keys = Object.keys(json).slice(0, 5).join(', ');
    return `JSON that is not MLflow's (fields: ${keys || 'none'})${server}`;
  }
  return `the text '${text.slice(0, 80).replace(/\s+/g, ' ')}'${server}`;
}

function statusText(status: number): string {
  const names: Record<number, string> = {
    400: ' Bad Request',
    404: ' Not Found',
    405: ' Method Not Allowed',
    408: ' Request Timeout',
    413: ' Payload Too Large',
    429: ' Too Many Requests',
    500: ' Internal Server Error',
    502: ' Bad Gateway',
    503: ' Service Unavailable',
    504: ' Gateway Timeout',
  };
  return names[status] ?? '';
}

/** Retry-After as seconds: a number of seconds, or an HTTP date. */
function retryAfter(response: HttpResponse): number | undefined {
  const header = response.headers['retry-after'];
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
