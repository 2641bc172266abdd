import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger, type Logger } from '../../log';
import { invalid } from '../../store/errors';
import { stringifyMlflow } from '../wire';
import { RemoteError } from './errors';
import { nodeTransport, type HttpMethod, type HttpRequest, type HttpResponse } from './http';
import type { Transport } from './http';
import { jsonObject, networkError, responseError, type Credentials } from './responses';

export interface MlflowClientOptions {
  /** The server's URL, e.g. https://mlflow.example.com or http://127.0.0.1:5000/prefix. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** With `password`, sent as basic authentication (which wins over a token, as in MLflow). */
  username?: string;
  password?: string;
  /** A PEM file of extra certificate authorities to trust for https. */
  caFile?: string;
  /** How long a request may go without any progress, in ms (default 30 s). */
  timeoutMs?: number;
  /** How many times a failure worth retrying is retried (default 5). */
  retries?: number;
  /** The first retry's delay in ms, doubled for each next one, with jitter (default 500). */
  retryDelayMs?: number;
  /** The longest wait before a retry, Retry-After included, in ms (default 30 s). */
  maxRetryDelayMs?: number;
  /** Replaces the HTTP layer (tests). */
  transport?: Transport;
  logger?: Logger;
}

export interface SendOptions {
  /**
   * False for a call that must not take effect twice (creating a run or a model version, logging
   * metric points). Such a call is retried only when the server cannot have acted on it; otherwise
   * the RemoteError is `ambiguous` and the caller finds out what happened before trying again.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Says what the call does, for messages ("runs/create"). */
  what?: string;
}

export interface Exchange {
  method: HttpMethod;
  /** The path below the server's URL, with its query string, e.g. /api/2.0/mlflow/runs/get?... */
  path: string;
  headers?: Record<string, string>;
  body?: HttpRequest['body'];
  saveTo?: string;
}

/**
 * The connection to one server: where it is, who we are, and how requests are retried. A call
 * that failed in a way worth retrying (429, 5xx, a dropped connection, a timeout) is tried again
 * after an exponential delay with jitter, or after the server's Retry-After. A server that was
 * never reached is not waited for: a refused first connection is almost always a wrong URL or a
 * server that is not running, and saying so at once beats a minute of retries.
 */
export class Connection {
  /** The server's URL as shown in messages: never with a user name or password. */
  readonly origin: string;
  readonly credentials: Credentials;
  private readonly base: URL;
  private readonly authorization: string | undefined;
  private readonly transport: Transport;
  private readonly closeTransport: () => void;
  private readonly logger: Logger;
  /** Whether the server ever answered; until it has, a failed connect is not retried. */
  private answered = false;

  constructor(private readonly options: MlflowClientOptions) {
    const parsed = parseServerUrl(options.url);
    this.base = parsed.base;
    this.origin = parsed.display;
    const username = options.username ?? parsed.username;
    const password = options.password ?? parsed.password;
    if (username && password !== undefined) {
      const pair = Buffer.from(`${username}:${password}`).toString('base64');
      this.authorization = `Basic ${pair}`;
      this.credentials = { kind: 'basic', username };
    } else if (options.token) {
      this.authorization = `Bearer ${options.token}`;
      this.credentials = { kind: 'token' };
    } else {
      this.credentials = { kind: 'none' };
    }
    const own = options.transport ? undefined : nodeTransport({ caFile: options.caFile });
    this.transport = options.transport ?? own!.transport;
    this.closeTransport = () => own?.close();
    this.logger = options.logger ?? silentLogger;
  }

  close(): void {
    this.closeTransport();
  }

  /** Calls an endpoint of MLflow's REST API: the input goes in the query (GET) or a JSON body. */
  async json<T>(
    method: HttpMethod,
    path: string,
    input: Record<string, unknown> = {},
    options: SendOptions = {},
  ): Promise<T> {
    const what = options.what ?? path.replace(/^\/api\/2\.0\/mlflow\//, '');
    const exchange: Exchange =
      method === 'GET'
        ? { method, path: withQuery(path, input) }
        : {
            method,
            path,
            headers: { 'Content-Type': 'application/json' },
            body: Buffer.from(stringifyMlflow(input), 'utf8'),
          };
    const response = await this.send(exchange, { ...options, what });
    if (response.body.length === 0) return {} as T;
    const body = jsonObject(response);
    if (!body) throw notJson(this.origin, what, response);
    return body as T;
  }

  /** Sends one request, retrying what is worth retrying; resolves with a 2xx response. */
  async send(exchange: Exchange, options: SendOptions = {}): Promise<HttpResponse> {
    const what = options.what ?? exchange.path;
    const retries = this.options.retries ?? 5;
    for (let attempt = 0; ; attempt++) {
      options.signal?.throwIfAborted();
      const failure = await this.attempt(exchange, what, options.signal);
      if (!(failure instanceof RemoteError)) return failure;

      const mayRetry =
        failure.retryable &&
        (options.idempotent !== false || !failure.ambiguous) &&
        (this.answered || failure.kind !== 'unreachable' || failure.ambiguous);
      if (!mayRetry || attempt >= retries) {
        throw attempt > 0 ? withAttempts(failure, attempt + 1) : failure;
      }
      const delay = this.delay(attempt, failure.retryAfterSeconds);
      this.logger.debug(`${what}: ${failure.message}; trying again in ${delay} ms`);
      await sleep(delay, undefined, { signal: options.signal });
    }
  }

  private async attempt(
    exchange: Exchange,
    what: string,
    signal: AbortSignal | undefined,
  ): Promise<HttpResponse | RemoteError> {
    const url = new URL(this.base.href.replace(/\/$/, '') + exchange.path);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'model-factory',
      ...exchange.headers,
    };
    if (this.authorization) headers.Authorization = this.authorization;
    try {
      const response = await this.transport({
        method: exchange.method,
        url,
        headers,
        body: exchange.body,
        timeoutMs: this.options.timeoutMs ?? 30_000,
        signal,
        saveTo: exchange.saveTo,
      });
      this.answered = true;
      if (response.status >= 200 && response.status < 300) return response;
      return responseError(this.origin, what, response, this.credentials);
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      return networkError(this.origin, what, error, !this.answered);
    }
  }

  /**
   * Exponential backoff with jitter (between half and all of the doubled delay, so clients that
   * failed together do not retry together), or what the server asked for; never past the cap.
   */
  private delay(attempt: number, retryAfterSeconds: number | undefined): number {
    const cap = this.options.maxRetryDelayMs ?? 30_000;
    if (retryAfterSeconds !== undefined) return Math.min(cap, Math.ceil(retryAfterSeconds * 1000));
    const ceiling = Math.min(cap, (this.options.retryDelayMs ?? 500) * 2 ** attempt);
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }
}

export interface ServerUrl {
  base: URL;
  display: string;
  username?: string;
  password?: string;
}

/**
 * Checks and normalises a server URL. A user name and password in it are taken out (and used as
 * basic authentication); a trailing /api/2.0/mlflow is dropped, as people paste endpoint URLs.
 */
export function parseServerUrl(text: string): ServerUrl {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw invalid(`'${text}' is not a URL; give the server's, e.g. http://127.0.0.1:5000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(`the server URL must start with http:// or https://, not ${url.protocol}//`);
  }
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/(ajax-)?api\/2\.0\/mlflow$/, '');
  const display = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  return { base: url, display, username, password };
}

/** GET input as a query string; lists repeat their key, as MLflow reads them. */
export function withQuery(path: string, input: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(key, String(item));
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function notJson(origin: string, what: string, response: HttpResponse): RemoteError {
  const text = response.body.toString('utf8').trim();
  const looks = /^</.test(text) ? 'an HTML page' : `'${text.slice(0, 60)}'`;
  return new RemoteError(
    `${origin} answered ${what} with ${looks} instead of MLflow's JSON: check that the URL is ` +
      "the MLflow server's (not its web page behind a proxy)",
    { kind: 'not-mlflow', status: response.status },
  );
}

function withAttempts(error: RemoteError, attempts: number): RemoteError {
  if (!error.retryable) return error;
  return new RemoteError(`${error.message} (gave up after ${attempts} attempts)`, {
    kind: error.kind,
    errorCode: error.errorCode,
    status: error.status,
    ambiguous: error.ambiguous,
    retryable: error.retryable,
    cause: error,
  });
}
