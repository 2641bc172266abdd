import type { IncomingMessage } from 'node:http';
import { MlflowError } from '../store/errors';

/** MLflow's log-batch requests are capped at 1 MB; other JSON bodies get a looser cap. */
export const BATCH_BODY_LIMIT = 1024 * 1024;
export const JSON_BODY_LIMIT = 16 * 1024 * 1024;

export class BodyTooLargeError extends MlflowError {
  constructor(limit: number) {
    super('INVALID_PARAMETER_VALUE', `The request body exceeds the limit of ${limit} bytes`);
  }
  override get httpStatus(): number {
    return 413;
  }
}

/** Reads a request body up to `limit` bytes, refusing more as soon as it arrives. */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const NON_FINITE = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;
const MARKER = '$mf_nonfinite';

/**
 * JSON.parse, also accepting the bare NaN, Infinity and -Infinity that Python's json module
 * writes for float('nan') and float('inf') (mlflow's client logs such metrics as they are).
 * Only tokens outside strings are touched.
 */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return {};
  const prepared = /NaN|Infinity/.test(text)
    ? text.replace(NON_FINITE, (match, word) => (word ? `{"${MARKER}":"${word}"}` : match))
    : text;
  try {
    return JSON.parse(prepared, (_key, value) =>
      value && typeof value === 'object' && MARKER in value ? Number(value[MARKER]) : value,
    );
  } catch (error) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}
