import { EventEmitter, once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleArtifactRequest } from '../../src/core/tracking/artifacts';
import { MlflowError } from '../../src/core/store/errors';

/** Where the tracking server mounts the artifact endpoints. */
export const ARTIFACTS_PREFIX = '/api/2.0/mlflow-artifacts/artifacts';

export interface ArtifactServerOptions {
  /**
   * When the handler fails after the headers went out, destroy the response, as the tracking
   * server does. Off by default: writeHead then throws ERR_HTTP_HEADERS_SENT and the unhandled
   * rejection fails the test file, so a late failure cannot pass unnoticed.
   */
  destroyAfterHeaders?: boolean;
}

export type ArtifactServer = Awaited<ReturnType<typeof startArtifactServer>>;

/**
 * A real HTTP server on 127.0.0.1 in front of handleArtifactRequest, mapping thrown MlflowErrors
 * as the tracking server does. It announces each request the handler is done with, by its URL,
 * so a test can wait for it to clean up after an upload the client abandoned.
 */
export async function startArtifactServer(
  artifactsRoot: string,
  options: ArtifactServerOptions = {},
) {
  const finished = new EventEmitter();
  const httpServer = http.createServer((req, res) => {
    // The handler gets the raw, still-encoded path, as the tracking server passes it.
    const url = req.url ?? '';
    const [pathname, search = ''] = url.split(/\?(.*)/s);
    const handled = handleArtifactRequest(
      req,
      res,
      artifactsRoot,
      pathname.slice(ARTIFACTS_PREFIX.length),
      new URLSearchParams(search),
    ).catch((error: unknown) => {
      if (options.destroyAfterHeaders && res.headersSent) return void res.destroy();
      const known = error instanceof MlflowError;
      res.writeHead(known ? error.httpStatus : 500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(known ? error.toJson() : { message: String(error) }));
    });
    void handled.then(() => finished.emit(url));
  });
  httpServer.listen(0, '127.0.0.1');
  await once(httpServer, 'listening');
  const { port } = httpServer.address() as AddressInfo;
  const url = (rest: string) => `http://127.0.0.1:${port}${ARTIFACTS_PREFIX}${rest}`;
  return {
    port,
    /** The URL of an artifact path: `rest` is appended to the prefix as written. */
    url,
    /** Settles when the handler is done with the request for this path. */
    finished: (rest: string) => once(finished, ARTIFACTS_PREFIX + rest),
    /** Uploads `body` to an artifact path with fetch(). */
    put: (rest: string, body: BodyInit) => fetch(url(rest), { method: 'PUT', body }),
    async close() {
      httpServer.closeAllConnections();
      httpServer.close();
      await once(httpServer, 'close');
    },
  };
}
