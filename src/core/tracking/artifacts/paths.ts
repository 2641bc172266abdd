import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalid } from '../../store/errors';

/**
 * Turning client-supplied artifact paths into files under the artifacts root. Every path from a
 * request goes through here, so this is the one place that decides what may be touched: nothing
 * outside the root, whether by `..`, an absolute path, an encoded separator, a backslash, a NUL
 * byte or a symlink that points out of the root.
 */

/** Characters Windows reads as separators, drives or stream names; refused there. */
const WINDOWS_RESERVED = /[:*?"<>|]/;

/** A segment of a request path, already percent-decoded, as one file or folder name. */
function checkSegment(segment: string, whole: string): void {
  if (segment === '.' || segment === '..') throw invalidPath(whole, `'${segment}' segments`);
  if (segment.includes('\\')) throw invalidPath(whole, 'backslashes');
  if (segment.includes('\0')) throw invalidPath(whole, 'NUL bytes');
  if (segment.includes('/')) throw invalidPath(whole, 'encoded separators');
  // Win32 drops trailing dots and spaces from names, which would turn '.. ' into '..'.
  if (process.platform === 'win32' && (WINDOWS_RESERVED.test(segment) || /[. ]$/.test(segment))) {
    throw invalidPath(whole, 'characters Windows reserves');
  }
}

function invalidPath(whole: string, what: string) {
  return invalid(`Invalid path: ${JSON.stringify(whole)}; artifact paths may not contain ${what}`);
}

/**
 * Splits a relative artifact path (`model/weights.json`, as MLflow's clients send in `path=`)
 * into names. Empty segments from doubled or trailing slashes are dropped as POSIX does; a
 * leading slash or a drive letter is an absolute path and is refused, as MLflow refuses it.
 */
export function splitRelative(relative: string): string[] {
  if (relative.startsWith('/') || /^[a-zA-Z]:/.test(relative)) {
    throw invalidPath(relative, 'an absolute path');
  }
  const segments = relative.split('/').filter((segment) => segment !== '');
  for (const segment of segments) checkSegment(segment, relative);
  return segments;
}

/**
 * Splits the still percent-encoded URL path after the artifacts prefix. Each segment is decoded
 * on its own, after splitting, so `%2f` can never become a separator; it is refused outright
 * (with `%5c`) rather than kept as a literal name, because other tools would decode it.
 */
export function splitEncoded(rawPath: string): string[] {
  const trimmed = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (/%(2f|5c)/i.test(trimmed)) throw invalidPath(rawPath, 'encoded separators');
  let decoded: string[];
  try {
    decoded = trimmed.split('/').map(decodeURIComponent);
  } catch {
    throw invalidPath(rawPath, 'malformed percent-encoding');
  }
  return splitRelative(decoded.join('/'));
}

/** Resolves a path under root safely or throws invalid(...). */
export function resolveInside(root: string, relative: string): string {
  return resolveSegments(root, splitRelative(relative));
}

/** The file that names designate under root, after the lexical and the symlink checks. */
export function resolveSegments(root: string, segments: string[]): string {
  const base = path.resolve(root);
  const target = path.join(base, ...segments);
  if (!isInside(base, target)) throw invalidPath(segments.join('/'), 'a way out of the root');
  assertNoEscape(base, target, segments.join('/'));
  return target;
}

/** Whether child is parent or below it; a name like `..notes` is below, `..` is not. */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  const up = relative === '..' || relative.startsWith(`..${path.sep}`);
  return !up && !path.isAbsolute(relative);
}

/**
 * Symlinks are the one way out that a lexical check cannot see. The deepest part of the target
 * that exists (the target itself, or the folder an upload will be created in) is resolved with
 * realpath, which follows every link on the way; if that lands outside the root, the request is
 * refused. A dangling link is refused too: writing through it would create its target, wherever
 * that is. Parts that do not exist yet will be made as plain folders, so they need no check.
 */
function assertNoEscape(base: string, target: string, shown: string): void {
  const realRoot = realpathOrUndefined(base);
  if (realRoot === undefined) return; // no root yet, so no links under it either

  for (let probe = target; isInside(base, probe); probe = path.dirname(probe)) {
    if (statOrUndefined(probe, fs.lstatSync) === undefined) continue;
    const real = realpathOrUndefined(probe);
    if (real === undefined || !isInside(realRoot, real)) {
      throw invalidPath(shown, 'a link that leads out of the artifacts root');
    }
    return;
  }
}

/**
 * An entry's stat, or undefined when there is none: missing, or below a file (ENOTDIR), which
 * `throwIfNoEntry` alone would throw for.
 */
export function statOrUndefined(
  file: string,
  stat: typeof fs.statSync | typeof fs.lstatSync = fs.statSync,
): fs.Stats | undefined {
  try {
    return stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The real location of an entry, following links; undefined for a missing or dangling one. */
export function realpathOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Uploads are written to a file of this shape beside their target, then renamed over it. The
 * name starts with a dot and carries random hex, so listings can hide uploads in progress.
 */
export const UPLOAD_TEMP = /^\.mf-upload-[0-9a-f]{16}\.tmp$/;
