import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanFormat } from './placeholders';
import { splitShellWords } from './shellWords';
import type { EntryPoint, Parameter } from './types';
import { checkParameterValue } from './values';

export { checkParameterValue } from './values';

/**
 * Builds the argument vector of an entry point by MLproject's rule: declared parameters fill the
 * command's `{name}` placeholders, defaults stand in for missing values, and undeclared ones are
 * appended as `--key value`. MLflow formats a string and hands it to a shell; here the template
 * is split into words first and each placeholder is filled inside its word, so a value always
 * arrives as the literal text it was, whatever quotes or `$(...)` it holds.
 */

export interface BuildOptions {
  /** The folder relative `path` values are resolved against, as MLflow does. */
  projectDir?: string;
}

export type CommandErrorCode =
  'missing-command' | 'shell-syntax' | 'bad-placeholder' | 'missing-value' | 'invalid-value';

export class CommandError extends Error {
  constructor(
    message: string,
    readonly code: CommandErrorCode,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** Throws a {@link CommandError} whose message says what to change. */
export function buildArgv(
  entryPoint: EntryPoint,
  values: Record<string, string>,
  options: BuildOptions = {},
): { argv: string[] } {
  const words = commandWords(entryPoint);
  const filled = fillParameters(entryPoint, values, options);

  const argv = words.map((word) => substitute(word, filled, entryPoint.name));
  for (const [key, value] of Object.entries(values)) {
    if (filled.has(key)) continue;
    // A bare `--` would tell the script that its options end here.
    if (key === '') throw new CommandError('A parameter needs a name', 'invalid-value');
    argv.push(`--${key}`, value);
  }
  return { argv };
}

function commandWords(entryPoint: EntryPoint): string[] {
  if (entryPoint.command === undefined || entryPoint.command.trim() === '') {
    const message = `Entry point '${entryPoint.name}' has no command; add one to the MLproject`;
    throw new CommandError(message, 'missing-command');
  }
  const split = splitShellWords(entryPoint.command);
  if (split.problems.length > 0) {
    const message = `Entry point '${entryPoint.name}': ${split.problems[0].message}`;
    throw new CommandError(message, 'shell-syntax');
  }
  return split.words.map((word) => word.text);
}

/** The value of every declared parameter, given or defaulted, checked against its type. */
function fillParameters(
  entryPoint: EntryPoint,
  values: Record<string, string>,
  options: BuildOptions,
): Map<string, string> {
  const given = (param: Parameter) => Object.hasOwn(values, param.name);
  requireValues(entryPoint, given);

  const filled = new Map<string, string>();
  for (const param of entryPoint.parameters) {
    const text = given(param) ? values[param.name] : defaultText(param);
    const problem = checkParameterValue(param, text);
    if (problem) {
      const message = `Parameter '${param.name}' (${param.type}) cannot be '${text}': ${problem}`;
      throw new CommandError(message, 'invalid-value');
    }
    filled.set(param.name, param.type === 'path' ? resolvePath(text, options) : text);
  }
  return filled;
}

/** Names every missing parameter at once, as MLflow does, so one retry is enough. */
function requireValues(entryPoint: EntryPoint, given: (param: Parameter) => boolean): void {
  const missing = entryPoint.parameters.filter((param) => !given(param) && !param.hasDefault);
  if (missing.length === 0) return;
  const names = missing.map((param) => `'${param.name}'`).join(', ');
  const message = `No value given for the required parameters ${names} of entry point '${entryPoint.name}'; give a value or add a default in the MLproject`;
  throw new CommandError(message, 'missing-value');
}

function defaultText(param: Parameter): string {
  return param.defaultText ?? String(param.default ?? '');
}

/**
 * MLflow makes local paths absolute and downloads remote ones. Remote URIs are passed on as they
 * are: FIXME: a `path` parameter given as s3://... reaches the script as that URI, not as a
 * downloaded file, so scripts that open it with open() fail where MLflow would have worked.
 */
function resolvePath(text: string, options: BuildOptions): string {
  if (/^file:/i.test(text)) return localPath(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  return options.projectDir ? path.resolve(options.projectDir, text) : text;
}

function localPath(fileUri: string): string {
  try {
    return fileURLToPath(fileUri);
  } catch {
    throw new CommandError(`'${fileUri}' is not a local file URI; give a path`, 'invalid-value');
  }
}

/** Fills the placeholders of one word; the result is always exactly one argument. */
function substitute(word: string, filled: Map<string, string>, entryPoint: string): string {
  const scan = scanFormat(word);
  if (scan.problems.length > 0) {
    throw new CommandError(
      `Entry point '${entryPoint}': ${scan.problems[0].message}`,
      'bad-placeholder',
    );
  }
  return scan.segments
    .map((segment) => {
      if (segment.kind === 'text') return segment.text;
      const value = filled.get(segment.name);
      if (value !== undefined) return value;
      const message = `The command of entry point '${entryPoint}' uses {${segment.name}}, which is not a declared parameter; declare it under parameters`;
      throw new CommandError(message, 'bad-placeholder');
    })
    .join('');
}
