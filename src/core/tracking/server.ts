import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeIssue, LIST_FIELDS } from '../../protocol/tracking';
import { silentLogger, type Logger } from '../log';
import { ErrorCode, MlflowError } from '../store/errors';
import type { RunStore } from '../store/store';
import { handleArtifactRequest } from './artifacts';
import { JSON_BODY_LIMIT, parseJson, readBody } from './body';
import { registryRoutes } from './routes/registry';
import type { Method, Route } from './routes/route';
import { trackingRoutes } from './routes/tracking';
import { stringifyMlflow } from './wire';

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Bearer token every request must carry; undefined turns authentication off. */
  token?: string;
  version: string;
  logger?: Logger;
}

const API_PREFIXES = ['/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/', '/api/2.0/preview/mlflow/'];
const ARTIFACTS_PREFIX = '/api/2.0/mlflow-artifacts/artifacts';
const routes = new Map<string, Route[]>();
for (const r of [...trackingRoutes, ...registryRoutes])
  routes.set(r.path, [...(routes.get(r.path) ?? []), r]);

/**
 * MLflow's tracking server on 127.0.0.1, over the workspace store. Every request needs the
 * bearer token and a Host header naming this server (so a web page cannot reach it through DNS
 * rebinding); no CORS headers are sent, so browsers keep other origins out.
 */
export class TrackingServer {
  private constructor(
    private readonly server: Server,
    private readonly store: RunStore,
    private readonly options: ServerOptions & { logger: Logger },
  ) {}

  static async start(store: RunStore, options: ServerOptions): Promise<TrackingServer> {
    const full = { logger: silentLogger, ...options };
    const server = createServer();
    // Slow or stalled clients cannot hold the server: headers must arrive promptly, and
    // idle keep-alive sockets are closed. Bodies are read asynchronously, so one slow upload
    // never blocks another request.
    server.headersTimeout = 15_000;
    server.requestTimeout = 10 * 60_000;
    server.keepAliveTimeout = 5_000;
    const tracking = new TrackingServer(server, store, full);
    server.on('request', (req, res) => void tracking.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    full.logger.info(`tracking server listening on ${tracking.url}`);
    return tracking;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setTimeout(() => this.server.closeAllConnections(), 2000).unref();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = parseUrl(req.url);
    res.once('finish', () => {
      const ms = (performance.now() - started).toFixed(1);
      this.options.logger.debug(`${req.method} ${url.pathname} ${res.statusCode} ${ms} ms`);
    });
    try {
      this.checkHost(req);
      if (url.pathname === '/health') return sendText(res, 'OK');
      if (url.pathname === '/version') return sendText(res, this.options.version);
      this.checkToken(req);
      // Matched on the raw target, not the URL parser's resolved path, so that '..' in front of
      // the prefix cannot shift which part is taken as the artifact path.
      const target = (req.url ?? '').split('?')[0];
      if (target === ARTIFACTS_PREFIX || target.startsWith(`${ARTIFACTS_PREFIX}/`)) {
        const rawPath = target.slice(ARTIFACTS_PREFIX.length);
        await handleArtifactRequest(req, res, this.store.artifactsDir, rawPath, url.searchParams);
        return;
      }
      await this.dispatch(req, res, url);
    } catch (error) {
      this.sendError(res, error);
    }
  }

  private checkHost(req: IncomingMessage): void {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`) {
      throw new MlflowError(
        ErrorCode.permissionDenied,
        `Host '${host}' is not this server; use 127.0.0.1:${this.port}`,
      );
    }
  }

  private checkToken(req: IncomingMessage): void {
    const expected = this.options.token;
    if (expected === undefined) return;
    const header = req.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const wanted = Buffer.from(expected);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw new MlflowError(
        ErrorCode.unauthenticated,
        'Missing or wrong bearer token: set MLFLOW_TRACKING_TOKEN to the token this server printed',
      );
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const prefix = API_PREFIXES.find((p) => url.pathname.startsWith(p));
    const candidates = prefix ? routes.get(url.pathname.slice(prefix.length)) : undefined;
    if (!candidates) {
      throw new MlflowError(ErrorCode.endpointNotFound, `No API endpoint at ${url.pathname}`);
    }
    const route = candidates.find((c) => c.methods.includes(req.method as Method));
    if (!route) {
      const allowed = candidates.flatMap((c) => c.methods).join(', ');
      res.setHeader('Allow', allowed);
      throw new MethodNotAllowed(`${req.method} is not allowed on ${url.pathname}; use ${allowed}`);
    }

    const input = await readInput(req, url, route.limit ?? JSON_BODY_LIMIT);
    const parsed = route.schema.safeParse(input);
    if (!parsed.success) {
      throw new MlflowError(ErrorCode.invalidParameterValue, describeIssue(parsed.error.issues[0]));
    }
    const result = route.handle(this.store, parsed.data) ?? {};
    sendJson(res, 200, withoutEmptyLists(result as Record<string, unknown>));
  }

  private sendError(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof MlflowError) {
      sendJson(res, error.httpStatus, error.toJson());
      return;
    }
    this.options.logger.error(error instanceof Error ? error : new Error(String(error)));
    sendJson(res, 500, {
      error_code: ErrorCode.internalError,
      message: 'Internal error; see the Model Factory log',
    });
  }
}

class MethodNotAllowed extends MlflowError {
  constructor(message: string) {
    super(ErrorCode.badRequest, message);
  }
  override get httpStatus(): number {
    return 405;
  }
}

/** GET requests carry their fields in the query string; the others in a JSON body. */
async function readInput(req: IncomingMessage, url: URL, limit: number): Promise<unknown> {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 ||
    req.headers['transfer-encoding'] !== undefined;
  if (req.method !== 'GET' && hasBody) return parseJson(await readBody(req, limit));
  req.resume();
  const input: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    input[key] = LIST_FIELDS.has(key) ? url.searchParams.getAll(key) : url.searchParams.get(key)!;
  }
  return input;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = stringifyMlflow(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendText(res: ServerResponse, text: string): void {
  res.writeHead(200, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A request target that does not parse is routed as '/', which no endpoint serves. */
function parseUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://127.0.0.1');
  } catch {
    return new URL('http://127.0.0.1/');
  }
}

/** Protobuf's JSON printer leaves out empty repeated fields: `{}`, not `{"runs": []}`. */
function withoutEmptyLists(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).filter(([, value]) => !(Array.isArray(value) && value.length === 0)),
  );
}
