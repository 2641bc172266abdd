import * as fs from 'node:fs';
import { RemoteError } from '../errors';
import { describeBody, jsonObject } from '../responses';
import type { Caller } from './caller';

/** MLflow's proxied artifact store, `/api/2.0/mlflow-artifacts/artifacts`. */
const PREFIX = '/api/2.0/mlflow-artifacts/artifacts';

export interface ArtifactEntry {
  /** The entry's own name, as MLflow's listing gives it. */
  path: string;
  isDir: boolean;
  fileSize?: number;
}

export interface ArtifactFile {
  /** Relative to the folder walked, with '/' between segments. */
  path: string;
  size: number;
}

/**
 * Where a run's artifacts sit in the proxied store: the path of an `mlflow-artifacts:` URI (with
 * or without a host), or of an http(s) URL to the artifacts endpoint. Other URIs (s3://, a local
 * path on the server) are out of reach through the REST API: undefined.
 */
export function proxiedArtifactPath(artifactUri: string): string | undefined {
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/i.exec(artifactUri);
  if (proxied) return proxied[1].replace(/\/+$/, '');
  const url = /^https?:\/\/[^/]+(?:\/.*)?\/api\/2\.0\/mlflow-artifacts\/artifacts\/(.*)$/i.exec(
    artifactUri,
  );
  return url ? url[1].replace(/\/+$/, '') : undefined;
}

const encodePath = (path: string) => path.split('/').filter(Boolean).map(encodeURIComponent);

export class ArtifactsApi {
  constructor(private readonly caller: Caller) {}

  /** The entries of one folder; a folder that does not exist lists as empty, as in MLflow. */
  async list(path: string): Promise<ArtifactEntry[]> {
    const query = new URLSearchParams({ path }).toString();
    const response = await this.caller.exchange(
      { method: 'GET', path: `${PREFIX}?${query}` },
      { what: `the artifact listing of ${path}` },
    );
    const body = response.body.length === 0 ? {} : jsonObject(response);
    if (!body) {
      throw new RemoteError(
        `the artifact listing of ${path} came back as ${describeBody(response)}, not JSON: ` +
          'the server may not serve artifacts (mlflow server --serve-artifacts)',
        { kind: 'not-mlflow', status: response.status },
      );
    }
    const files = Array.isArray(body.files) ? (body.files as Array<Record<string, unknown>>) : [];
    return files.map((file) => ({
      path: String(file.path).split('/').pop() ?? '',
      isDir: file.is_dir === true,
      ...(file.file_size === undefined ? {} : { fileSize: Number(file.file_size) }),
    }));
  }

  /** Every file below a folder, depth first, with paths relative to it. */
  async *walk(root: string, below = ''): AsyncGenerator<ArtifactFile> {
    const folder = below ? `${root}/${below}` : root;
    for (const entry of await this.list(folder)) {
      const path = below ? `${below}/${entry.path}` : entry.path;
      if (entry.isDir) yield* this.walk(root, path);
      else yield { path, size: entry.fileSize ?? 0 };
    }
  }

  /** Uploads a file; a PUT replaces what is there, so a retry is harmless. */
  async upload(path: string, file: string): Promise<void> {
    const { size } = await fs.promises.stat(file);
    await this.caller.exchange(
      {
        method: 'PUT',
        path: `${PREFIX}/${encodePath(path).join('/')}`,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
        body: () => fs.createReadStream(file),
      },
      { what: `the upload of ${path}` },
    );
  }

  /** Downloads a file into `file`, which is overwritten; a partial file is left for the caller. */
  async download(path: string, file: string): Promise<void> {
    await this.caller.exchange(
      { method: 'GET', path: `${PREFIX}/${encodePath(path).join('/')}`, saveTo: file },
      { what: `the download of ${path}` },
    );
  }
}
