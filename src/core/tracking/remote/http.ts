import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tls from 'node:tls';
import { invalid } from '../../store/errors';

/**
 * One HTTP exchange with node's http and https modules: a timeout on inactivity (so a long upload
 * or download is fine while bytes flow), cancellation through an AbortSignal, bodies streamed from
 * and to files, and, on failure, whether the request can have reached the server at all, which is
 * what decides whether a call that is not idempotent may be sent again.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export interface HttpRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  /** A buffer, or a function that opens the body afresh for each attempt (a file upload). */
  body?: Buffer | (() => Readable);
  timeoutMs: number;
  signal?: AbortSignal;
  /** Streams a 2xx response's body into this file instead of keeping it in memory. */
  saveTo?: string;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Empty when the body went to `saveTo`. */
  body: Buffer;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** A request that got no answer: a connection error, a dropped connection or a timeout. */
export class NetworkFailure extends Error {
  override readonly name = 'NetworkFailure';
  constructor(
    readonly error: NodeJS.ErrnoException,
    /** False when the server cannot have seen the request (it never connected). */
    readonly reached: boolean,
    readonly timedOut: boolean,
  ) {
    super(error.message);
  }
}

export interface NodeTransport {
  transport: Transport;
  /** Closes idle keep-alive connections, so a CLI process can end. */
  close(): void;
}

/**
 * The HTTP layer: keep-alive agents, and for https the bundled root certificates, the system's
 * (where they can be found) and those of `caFile`, for servers signed by a private authority.
 */
export function nodeTransport(options: { caFile?: string } = {}): NodeTransport {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 8 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 8, ca: certificates(options.caFile) }),
  };
  return {
    transport: (request) => send(agents, request),
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function send(agents: { http: http.Agent; https: https.Agent }, request: HttpRequest) {
  return new Promise<HttpResponse>((resolve, reject) => {
    const secure = request.url.protocol === 'https:';
    const req = (secure ? https : http).request(request.url, {
      method: request.method,
      headers: request.headers,
      agent: secure ? agents.https : agents.http,
      signal: request.signal,
    });
    const state = { reached: false, timedOut: false };
    req.on('socket', (socket) => {
      if (!socket.connecting) state.reached = true;
      else socket.once(secure ? 'secureConnect' : 'connect', () => (state.reached = true));
    });
    req.setTimeout(request.timeoutMs, () => {
      state.timedOut = true;
      req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => reject(failure(error, state)));
    req.on('response', (res) => {
      receive(res, request)
        .then(resolve)
        .catch((error: NodeJS.ErrnoException) => reject(failure(error, state)));
    });
    writeBody(req, request.body);
  });
}

/**
 * Once connected, the server may have acted on the request, whatever happens next. That includes
 * a reused keep-alive connection reset at once: usually the server had closed it while idle, but
 * a reset after the server acted looks the same, so it is not taken as proof of either.
 */
function failure(
  error: NodeJS.ErrnoException,
  state: { reached: boolean; timedOut: boolean },
): Error {
  if (error.name === 'AbortError') return error;
  return new NetworkFailure(error, state.reached, state.timedOut);
}

function writeBody(req: http.ClientRequest, body: HttpRequest['body']): void {
  if (body === undefined) return void req.end();
  if (Buffer.isBuffer(body)) {
    // Node frames a DELETE's body neither by length nor by chunks unless told its length, and the
    // server then reads the body as the next request (MLflow's alias delete takes a JSON body).
    if (!req.hasHeader('Content-Length')) req.setHeader('Content-Length', body.length);
    return void req.end(body);
  }
  let stream: Readable;
  try {
    stream = body();
  } catch (error) {
    req.destroy(error as Error);
    return;
  }
  pipeline(stream, req).catch((error: Error) => req.destroy(error));
}

async function receive(res: http.IncomingMessage, request: HttpRequest): Promise<HttpResponse> {
  const status = res.statusCode ?? 0;
  if (request.saveTo && status >= 200 && status < 300) {
    await pipeline(res, fs.createWriteStream(request.saveTo));
    const expected = Number(res.headers['content-length'] ?? NaN);
    const written = (await fs.promises.stat(request.saveTo)).size;
    if (Number.isFinite(expected) && written !== expected) {
      throw Object.assign(new Error(`the download ended after ${written} of ${expected} bytes`), {
        code: 'ECONNRESET',
      });
    }
    return { status, headers: res.headers, body: Buffer.alloc(0) };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return { status, headers: res.headers, body: Buffer.concat(chunks) };
}

/**
 * The authorities an https connection trusts. Node trusts only its bundled Mozilla roots, so the
 * system's store is added (node 22.15+ reads it; older ones read the usual bundle files), which is
 * where companies install their own authority, and then the CA file, if one is given.
 */
function certificates(caFile: string | undefined): string[] | undefined {
  const extra = caFile ? [readCaFile(caFile)] : [];
  const system = systemCertificates();
  if (extra.length === 0 && system.length === 0) return undefined;
  return [...tls.rootCertificates, ...system, ...extra];
}

function readCaFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(`cannot read the CA file ${file}: ${(error as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw invalid(`the CA file ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return text;
}

const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
let systemCache: string[] | undefined;

function systemCertificates(): string[] {
  if (systemCache) return systemCache;
  const read = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (read) {
    try {
      return (systemCache = read('system'));
    } catch {
      // Falls back to the bundle files below.
    }
  }
  // FIXME: on Windows with node before 22.15 the system's store is not read, so a company
  // authority installed there is not trusted; such users must pass it with --ca-file.
  const file = SYSTEM_BUNDLES.find((candidate) => fs.existsSync(candidate));
  systemCache = file ? [fs.readFileSync(file, 'utf8')] : [];
  return systemCache;
}
