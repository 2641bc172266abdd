import { RunStore } from '../../src/core/store/store';
import { TrackingServer } from '../../src/core/tracking/server';
import { parseJson } from '../../src/core/tracking/body';
import { tempDir } from './tempStore';

export const TOKEN = 'test-token-123';

/** A real tracking server on 127.0.0.1 over a real store in a temporary folder. */
export async function startServer() {
  const temp = tempDir();
  const store = await RunStore.open(temp.dir, { idleMs: 0 });
  const server = await TrackingServer.start(store, { token: TOKEN, version: 'test' });
  const base = server.url;

  /** Calls an MLflow endpoint: GET and DELETE-without-body put `input` in the query string. */
  async function api(
    method: string,
    path: string,
    input: Record<string, unknown> = {},
    headers = {},
  ) {
    const url = new URL(`${base}/api/2.0/mlflow/${path}`);
    const init: RequestInit = {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
    };
    if (method === 'GET') {
      for (const [key, value] of Object.entries(input)) {
        for (const item of Array.isArray(value) ? value : [value])
          url.searchParams.append(key, String(item));
      }
    } else {
      init.body = JSON.stringify(input);
    }
    const response = await fetch(url, init);
    const text = await response.text();
    return { status: response.status, body: text ? (parseJson(text) as any) : undefined, text };
  }

  return {
    store,
    server,
    base,
    api,
    async stop() {
      await server.stop();
      await store.close();
      temp.remove();
    },
  };
}
