/**
 * Errors from a remote MLflow tracking server, each with a message that says what happened and
 * what to do about it. Messages name the server by its origin only: the URL a user gives may
 * carry a user name and password, and a message must never repeat them.
 */

/** What kind of failure: decides whether a call is retried and how the CLI words it. */
export type RemoteErrorKind =
  'unreachable' | 'timeout' | 'tls' | 'auth' | 'not-mlflow' | 'api' | 'http' | 'aborted';

export interface RemoteErrorDetails {
  kind: RemoteErrorKind;
  /** MLflow's error_code when the server sent one, e.g. RESOURCE_DOES_NOT_EXIST. */
  errorCode?: string;
  /** The HTTP status, when the server answered at all. */
  status?: number;
  /**
   * True when the request may have had its effect although no answer arrived (the connection
   * dropped after the request went out, a timeout, a 500). A caller must find out what happened
   * before sending a call that is not idempotent again.
   */
  ambiguous?: boolean;
  /** True when the same call may succeed if tried again later (a 503, a dropped connection). */
  retryable?: boolean;
  /** Seconds the server asked the client to wait, from Retry-After. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class RemoteError extends Error {
  override readonly name = 'RemoteError';
  readonly kind: RemoteErrorKind;
  readonly errorCode: string | undefined;
  readonly status: number | undefined;
  readonly ambiguous: boolean;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, details: RemoteErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.errorCode = details.errorCode;
    this.status = details.status;
    this.ambiguous = details.ambiguous ?? false;
    this.retryable = details.retryable ?? false;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /**
   * MLflow's error code when there is one, else a code for the kind of failure; the CLI prints
   * errors that carry a code as one line, without a stack.
   */
  get code(): string {
    return this.errorCode ?? `REMOTE_${this.kind.toUpperCase().replace('-', '_')}`;
  }
}

export function isRemoteError(error: unknown, errorCode?: string): error is RemoteError {
  return error instanceof RemoteError && (errorCode === undefined || error.errorCode === errorCode);
}

/** Whether a call failed in a way that leaves its effect on the server unknown. */
export function isAmbiguous(error: unknown): boolean {
  return error instanceof RemoteError && error.ambiguous;
}

export function isAbort(error: unknown): boolean {
  return (
    (error instanceof Error && error.name === 'AbortError') ||
    (error instanceof RemoteError && error.kind === 'aborted')
  );
}

/** Node's network error codes, in the words a user needs, with what to check. */
export function networkErrorMessage(origin: string, error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') {
    return (
      `nothing is listening at ${origin} (connection refused): check the URL and the port, ` +
      'and that the MLflow server is running'
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `cannot find the host of ${origin} (${code}): check the URL, or the network and DNS`;
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return `cannot reach ${origin} (${code}): check the network, a VPN or a proxy`;
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return `${origin} closed the connection before answering (${code})`;
  }
  if (isTlsError(error)) return tlsMessage(origin, error);
  return `cannot reach ${origin}: ${error.message}${code ? ` (${code})` : ''}`;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function isTlsError(error: NodeJS.ErrnoException): boolean {
  return (
    TLS_CODES.has(error.code ?? '') ||
    /wrong version number|packet length too long|ssl/i.test(error.message)
  );
}

function tlsMessage(origin: string, error: NodeJS.ErrnoException): string {
  if (/wrong version number|packet length too long/i.test(error.message)) {
    return `${origin} does not speak https on this port: try the URL with http://`;
  }
  if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the certificate of ${origin} is for another host name: check the URL (${error.code})`;
  }
  if (error.code === 'CERT_HAS_EXPIRED' || error.code === 'CERT_NOT_YET_VALID') {
    return `the certificate of ${origin} is not valid now (${error.code}): tell the server's admin`;
  }
  return (
    `cannot verify the certificate of ${origin} (${error.code ?? error.message}): if the server ` +
    'uses a private certificate authority, pass its certificate with --ca-file ' +
    '(or MLFLOW_TRACKING_SERVER_CERT_PATH)'
  );
}
