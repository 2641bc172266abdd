import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ErrorCode, MlflowError, invalid, notFound } from '../../store/errors';
import { DOWNLOAD_HEADERS, contentTypeFor } from './contentType';
import { listFolder } from './listing';
import { resolveSegments, splitEncoded, splitRelative, statOrUndefined } from './paths';

/**
 * MLflow's proxied artifact endpoints, `/api/2.0/mlflow-artifacts/artifacts[/<path>]`, served
 * from a folder. Files stream both ways, so an artifact of any size costs a few buffers of memory.
 * Every error is thrown before the first response byte, for the server to send as MLflow JSON.
 */

/**
 * Handles GET (download, streamed, with Content-Type by extension and Content-Length), PUT
 * (upload, streamed to a temp file in the same folder then renamed, so a broken upload never
 * leaves a half file; responds 200 with `{}`), DELETE (file or folder; 200 `{}`) on
 * /api/2.0/mlflow-artifacts/artifacts/<path>, and GET /api/2.0/mlflow-artifacts/artifacts?path=
 * (list: `{"files":[{"path","is_dir","file_size"}]}`, names relative to the listed folder, as
 * MLflow answers; like MLflow's protobuf JSON, an empty listing is `{}`). `rawPath` is the URL
 * pathname after the prefix, still percent-encoded.
 */
export async function handleArtifactRequest(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  rawPath: string,
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'PUT' && method !== 'DELETE') {
    throw new MlflowError(ErrorCode.endpointNotFound, `${method} is not served for artifacts`);
  }

  const segments = splitEncoded(rawPath);
  if (method === 'PUT') return upload(req, res, root, segments);
  if (method === 'DELETE') return remove(res, root, segments);
  if (segments.length > 0) return download(res, root, segments);

  const files = listFolder(root, splitRelative(query.get('path') ?? ''));
  sendJson(res, files.length > 0 ? { files } : {});
}

async function download(res: ServerResponse, root: string, segments: string[]): Promise<void> {
  const shown = segments.join('/');
  const file = resolveSegments(root, segments);
  // Checked before opening, because opening a FIFO someone left in the folder would block.
  const found = statOrUndefined(file);
  if (found === undefined) throw noSuchArtifact(shown);
  if (!found.isFile()) throw notAFile(shown, found);

  const handle = await fs.promises.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw noSuchArtifact(shown);
    throw error;
  });
  // The size comes from the open file: it may have been replaced since the check above.
  const stat = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw error;
  });
  if (!stat.isFile()) {
    await handle.close();
    throw notAFile(shown, stat);
  }

  res.writeHead(200, {
    'Content-Type': contentTypeFor(file),
    'Content-Length': stat.size,
    ...DOWNLOAD_HEADERS,
  });
  // The handle closes itself when the stream ends or fails. Once headers are out, a failure can
  // only be reported by cutting the response short, which the client sees as a truncated body.
  await pipeline(handle.createReadStream(), res).catch(() => res.destroy());
}

/**
 * Streams the body into a temporary file beside the target and renames it into place, so a
 * reader sees the old file or the whole new one, never half of it. pipeline() waits whenever
 * the disk is slower than the network, which holds the socket back instead of buffering.
 */
async function upload(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  segments: string[],
): Promise<void> {
  const shown = segments.join('/');
  if (segments.length === 0) throw invalid('an upload needs a file path after the artifacts URL');
  const target = resolveSegments(root, segments);
  if (statOrUndefined(target)?.isDirectory()) throw isFolder(shown);

  const dir = path.dirname(target);
  await fs.promises.mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw mapWriteError(error, shown);
  });
  // Checked again now the folders exist: a link put in their place meanwhile is refused too.
  resolveSegments(root, segments);

  const temporary = path.join(dir, `.mf-upload-${randomBytes(8).toString('hex')}.tmp`);
  const output = fs.createWriteStream(temporary, { flags: 'wx' });
  try {
    await pipeline(req, output);
    await fs.promises.rename(temporary, target);
  } catch (error) {
    // Windows cannot remove a file that is still open, so wait for the stream to let go of it.
    // events.once would reject on the stream's own 'error', so listen for 'close' alone.
    if (!output.closed) await new Promise<void>((resolve) => output.once('close', () => resolve()));
    await fs.promises.rm(temporary, { force: true });
    throw mapWriteError(error as NodeJS.ErrnoException, shown);
  }

  sendJson(res, {});
}

/**
 * Deletes a file or a folder. Only a run's folder (`<experiment>/<run>`) or something inside one
 * may go: the root and an experiment's folder hold other runs' artifacts, and no MLflow client
 * deletes above a run (`mlflow gc` deletes `<experiment>/<run>/artifacts`). Deleting what is not
 * there succeeds, as it does in MLflow. Links in what is deleted are removed, never followed;
 * naming a link that leads out of the root is refused like any other way out.
 */
async function remove(res: ServerResponse, root: string, segments: string[]): Promise<void> {
  if (segments.length < 2) {
    const what =
      segments.length === 0 ? 'the artifacts root' : `the experiment folder ${segments[0]}`;
    throw invalid(`cannot delete ${what}: only a run's folder or what it holds may be deleted`);
  }
  const target = resolveSegments(root, segments);

  await fs.promises.rm(target, { recursive: true, force: true }).catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') throw error;
  });

  sendJson(res, {});
}

/**
 * File system errors from an upload: a path that runs through a file, or that names a folder,
 * is the client's mistake. An error without a syscall came from the request stream, which means
 * the client went away before the end of its body; that is not the server's failure either.
 */
function mapWriteError(error: NodeJS.ErrnoException, shown: string): Error {
  if (error instanceof MlflowError) return error;
  if (error.code === 'EEXIST' || error.code === 'ENOTDIR') {
    return invalid(`cannot upload ${shown}: a part of its folder path is a file`);
  }
  if (error.code === 'EISDIR') return isFolder(shown);
  if (error.syscall === undefined) {
    return invalid(
      `the upload of ${shown} ended before all of its bytes arrived; nothing was kept`,
    );
  }
  return error;
}

const isFolder = (shown: string) => invalid(`${shown} is a folder; list it instead`);
const notAFile = (shown: string, stat: fs.Stats) =>
  stat.isDirectory() ? isFolder(shown) : invalid(`${shown} is not a regular file`);
const noSuchArtifact = (shown: string) => notFound(`no artifact at ${shown}`);

function sendJson(res: ServerResponse, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}
