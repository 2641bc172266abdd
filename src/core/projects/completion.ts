import { TextLines, contains } from './text';
import type { EntryPoint, Mlproject, Parameter, Position, Range } from './types';
import { PARAMETER_TYPES } from './types';
import {
  ENTRY_POINT_KEYS,
  PARAMETER_KEYS,
  TOP_LEVEL_KEYS,
  TYPE_DOCUMENTATION,
  type KeyInfo,
} from './vocabulary';
import { yamlContextAt, type YamlContext } from './yamlContext';

/**
 * Completion and hover for MLproject files. Completion reads the indentation around the cursor
 * rather than the parsed tree, because the line being typed is usually not valid YAML yet.
 */

export type CompletionKind = 'top-level' | 'entry-point' | 'parameter' | 'parameter-type';

export interface CompletionItem {
  label: string;
  kind: 'key' | 'type';
  detail: string;
  documentation: string;
  insertText: string;
}

export interface Completions {
  kind: CompletionKind;
  items: CompletionItem[];
  /** The partly typed word the chosen item replaces. */
  range: Range;
}

export function completeMlproject(text: string, position: Position): Completions | undefined {
  const lines = new TextLines(text);
  const context = yamlContextAt(lines, position);
  if (!context) return undefined;

  const kind = completionKind(context);
  if (!kind) return undefined;
  const range = wordRange(lines, position);
  if (kind === 'parameter-type') return { kind, range, items: typeItems() };

  const { keys, detail } = KEY_VOCABULARIES[kind];
  const fresh = keys.filter((info) => !context.siblings.includes(info.key));
  return { kind, range, items: fresh.map((info) => keyItem(info, detail, context)) };
}

type KeyKind = Exclude<CompletionKind, 'parameter-type'>;

const KEY_VOCABULARIES: Record<KeyKind, { keys: readonly KeyInfo[]; detail: string }> = {
  'top-level': { keys: TOP_LEVEL_KEYS, detail: 'MLproject key' },
  'entry-point': { keys: ENTRY_POINT_KEYS, detail: 'entry point key' },
  parameter: { keys: PARAMETER_KEYS, detail: 'parameter key' },
};

/** What belongs at the cursor, from the keys above it: `entry_points > main > parameters > x`. */
function completionKind(context: YamlContext): CompletionKind | undefined {
  const [top, , section, , extra] = context.path;
  const depth = context.path.length;
  const inEntryPoints = top === 'entry_points';
  const inParameters = inEntryPoints && section === 'parameters' && extra === undefined;

  if (context.key === undefined) {
    if (depth === 0) return 'top-level';
    if (inEntryPoints && depth === 2) return 'entry-point';
    if (inParameters && depth === 4) return 'parameter';
    return undefined;
  }
  const shorthand = inParameters && depth === 3;
  const typeKey = inParameters && depth === 4 && context.key === 'type';
  return shorthand || typeKey ? 'parameter-type' : undefined;
}

function keyItem(info: KeyInfo, detail: string, context: YamlContext): CompletionItem {
  // A nested mapping continues on the next line, indented one level below the key.
  const childIndent = ' '.repeat(context.indent + 2);
  const insertText =
    info.nested && !context.inFlow ? `${info.key}:\n${childIndent}` : `${info.key}: `;
  return { label: info.key, kind: 'key', detail, documentation: info.documentation, insertText };
}

function typeItems(): CompletionItem[] {
  return PARAMETER_TYPES.map((type) => ({
    label: type,
    kind: 'type',
    detail: 'parameter type',
    documentation: TYPE_DOCUMENTATION[type],
    insertText: type,
  }));
}

function wordRange(lines: TextLines, position: Position): Range {
  const line = lines.line(position.line);
  let start = Math.min(position.character, line.length);
  let end = start;
  while (start > 0 && /[\w-]/.test(line[start - 1])) start--;
  while (end < line.length && /[\w-]/.test(line[end])) end++;
  return {
    start: { line: position.line, character: start },
    end: { line: position.line, character: end },
  };
}

export interface ParameterHit {
  entryPoint: EntryPoint;
  parameter: Parameter;
}

/** The parameter whose name, or a `{placeholder}` naming it, is at the position. */
export function parameterAt(project: Mlproject, position: Position): ParameterHit | undefined {
  for (const entryPoint of project.entryPoints) {
    const byName = entryPoint.parameters.find((parameter) => contains(parameter.range, position));
    const placeholder = entryPoint.placeholders.find(
      (candidate) => candidate.range && contains(candidate.range, position),
    );
    const parameter =
      byName ?? entryPoint.parameters.find((candidate) => candidate.name === placeholder?.name);
    if (parameter) return { entryPoint, parameter };
  }
  return undefined;
}

/** Hover text in Markdown: "**alpha** · `float` · default `0.1`". */
export function describeParameter(parameter: Parameter): string {
  const value = parameter.hasDefault
    ? `default ${codeSpan(parameter.defaultText ?? '')}`
    : 'required';
  return `**${parameter.name}** · \`${parameter.type}\` · ${value}\n\n${TYPE_DOCUMENTATION[parameter.type]}`;
}

/** Inline code that survives backticks in the text, and shows an empty default as `""`. */
function codeSpan(text: string): string {
  if (text === '') return '`""`';
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ` ${text} ` : text}${fence}`;
}
