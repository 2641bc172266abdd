import { ArtifactsApi } from './api/artifacts';
import type { Caller, CallOptions } from './api/caller';
import { RegistryApi } from './api/registry';
import { ExperimentsApi, RunsApi } from './api/tracking';
import { Connection, type Exchange, type MlflowClientOptions } from './connection';
import type { HttpMethod, HttpResponse } from './http';
import { checkServer, type ServerInfo } from './probe';

export type { MlflowClientOptions } from './connection';

/**
 * A client for an MLflow tracking server's REST API (the endpoints `model-factory serve` serves
 * too), grouped as MLflow groups them: `experiments`, `runs` (with metric histories), `registry`
 * and `artifacts`. Authenticates with a bearer token or basic authentication, trusts the system's
 * certificate authorities and an optional CA file, times out stalled requests, and retries 429s,
 * 5xx and dropped connections with backoff; see Connection for what is retried when.
 *
 * ```ts
 * const client = new MlflowClient({ url, token });
 * await client.checkServer();
 * for await (const run of client.runs.all({ experimentIds: ['1'] })) console.log(run.info.runId);
 * client.close();
 * ```
 */
export class MlflowClient implements Caller {
  readonly experiments = new ExperimentsApi(this);
  readonly runs = new RunsApi(this);
  readonly registry = new RegistryApi(this);
  readonly artifacts = new ArtifactsApi(this);
  private readonly connection: Connection;
  private readonly signal: AbortSignal | undefined;

  /** `shared` is for withSignal(): a client on the same connection with another signal. */
  constructor(
    options: MlflowClientOptions,
    shared?: { connection: Connection; signal?: AbortSignal },
  ) {
    this.connection = shared?.connection ?? new Connection(options);
    this.signal = shared?.signal;
  }

  /** The server's URL, without any user name or password, for messages. */
  get url(): string {
    return this.connection.origin;
  }

  /** Which kind of credentials the client sends: 'none', 'token' or 'basic'. */
  get authentication(): 'none' | 'token' | 'basic' {
    return this.connection.credentials.kind;
  }

  /** The same client whose calls stop, with an AbortError, when `signal` aborts. */
  withSignal(signal: AbortSignal | undefined): MlflowClient {
    return new MlflowClient({ url: this.url }, { connection: this.connection, signal });
  }

  /**
   * Checks that the server is MLflow and takes our credentials; throws a RemoteError that says
   * what the server looks like otherwise. Returns its version when it tells it.
   */
  checkServer(): Promise<ServerInfo> {
    return checkServer(this);
  }

  /** Closes idle connections. Calls still work afterwards, on new connections. */
  close(): void {
    this.connection.close();
  }

  call<T>(
    method: HttpMethod,
    path: string,
    input?: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<T> {
    return this.connection.json<T>(method, `/api/2.0/mlflow/${path}`, input, {
      ...options,
      signal: this.signal,
      what: path,
    });
  }

  exchange(
    exchange: Exchange,
    options: CallOptions & { what?: string } = {},
  ): Promise<HttpResponse> {
    return this.connection.send(exchange, { ...options, signal: this.signal });
  }
}
