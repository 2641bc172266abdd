import { RemoteError } from './errors';
import type { Exchange } from './connection';
import type { HttpResponse } from './http';
import { describeBody, jsonObject } from './responses';

export interface ServerInfo {
  /** The server's URL as shown in messages. */
  url: string;
  /** What `/version` says, when the server answers it (MLflow and Model Factory do). */
  version?: string;
}

interface Prober {
  readonly url: string;
  exchange(exchange: Exchange, options?: { what?: string }): Promise<HttpResponse>;
}

const SEARCH = '/api/2.0/mlflow/experiments/search?max_results=1';

/**
 * Checks that the URL is an MLflow tracking server we may use: its experiments search answers
 * with MLflow's JSON (which also checks the credentials). When it does not, looks at /health and
 * the front page to say what the server looks like instead, since "404" alone does not tell a user
 * that the URL names MLflow's web UI behind a proxy, a sign-in page or another service.
 */
export async function checkServer(client: Prober): Promise<ServerInfo> {
  let response: HttpResponse;
  try {
    response = await client.exchange({ method: 'GET', path: SEARCH }, { what: 'a search' });
  } catch (error) {
    const redirected =
      error instanceof RemoteError && (error.status ?? 0) >= 300 && (error.status ?? 0) < 400;
    if (error instanceof RemoteError && error.kind === 'not-mlflow' && !redirected) {
      throw await diagnose(client, error.message.replace(/^.*? answered a search with /, ''));
    }
    throw error;
  }
  if (!looksLikeSearch(response)) {
    throw await diagnose(client, `${response.status} and ${describeBody(response)}`);
  }
  return { url: client.url, version: await version(client) };
}

/** MLflow answers a search with `{"experiments": [...], "next_page_token": ...}`, or `{}`. */
function looksLikeSearch(response: HttpResponse): boolean {
  if (response.body.toString('utf8').trim() === '') return true;
  const body = jsonObject(response);
  if (!body) return false;
  if (body.experiments !== undefined && !Array.isArray(body.experiments)) return false;
  return Object.keys(body).every((key) => key === 'experiments' || key === 'next_page_token');
}

async function version(client: Prober): Promise<string | undefined> {
  const response = await client
    .exchange({ method: 'GET', path: '/version' }, { what: 'the version' })
    .catch(() => undefined);
  const text = response?.body.toString('utf8').trim() ?? '';
  return /^[\w.+-]{1,40}$/.test(text) ? text : undefined;
}

async function diagnose(client: Prober, answered: string): Promise<RemoteError> {
  const [health, front] = await Promise.all([fetchText(client, '/health'), fetchText(client, '/')]);
  const api = `${client.url}/api/2.0/mlflow`;
  const looksLike = (why: string) =>
    new RemoteError(why, { kind: 'not-mlflow', errorCode: 'NOT_MLFLOW' });

  if (front && /<title[^>]*>\s*MLflow/i.test(front)) {
    return looksLike(
      `${client.url} shows MLflow's web UI, but its REST API does not answer at ${api} ` +
        `(a search answered ${answered}): it looks like MLflow's UI behind a proxy that does not ` +
        "pass /api on; ask the server's admin to expose /api/2.0/mlflow, or give the URL it is under",
    );
  }
  if (health?.trim() === 'OK') {
    return looksLike(
      `${client.url} answers /health as MLflow does, but not MLflow's REST API at ${api} ` +
        `(a search answered ${answered}): check the URL, which may need MLflow's path prefix`,
    );
  }
  const guess = guessService(answered, front);
  return looksLike(
    `${client.url} is not an MLflow tracking server: a search at ${api} answered ${answered}` +
      `${guess ? `; it looks like ${guess}` : ''}. Check the URL and the port`,
  );
}

/** A few services people point the client at by mistake, from what they answer. */
function guessService(answered: string, front: string | undefined): string | undefined {
  const title = front ? /<title[^>]*>([^<]*)<\/title>/i.exec(front)?.[1]?.trim() : undefined;
  if (title && /jupyter/i.test(title)) return 'a Jupyter server';
  if (title && /tensorboard/i.test(title)) return 'TensorBoard';
  if (title && /sign in|log in|login/i.test(title)) return `a sign-in page ('${title}')`;
  if (/fields: detail\)/.test(answered)) return 'another JSON API (FastAPI or Django REST style)';
  if (/fields: kind, apiVersion/.test(answered)) return 'a Kubernetes API';
  if (title) return `a web site titled '${title.slice(0, 60)}'`;
  if (/JSON that is not MLflow's/.test(answered)) return 'another JSON API';
  return undefined;
}

async function fetchText(client: Prober, path: string): Promise<string | undefined> {
  try {
    const response = await client.exchange({ method: 'GET', path }, { what: path });
    return response.body.toString('utf8').slice(0, 64 * 1024);
  } catch {
    return undefined;
  }
}
