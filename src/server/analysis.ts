import type { CodeLens, CompletionItem, Diagnostic, Hover, Position } from 'vscode-languageserver';
import { CompletionItemKind, DiagnosticSeverity, MarkupKind } from 'vscode-languageserver';
import { completeMlproject, describeParameter, parameterAt } from '../core/projects/completion';
import {
  DEFAULT_ENTRY_POINT_PATTERNS,
  findPythonEntryPoints,
  type EntryPointPatterns,
} from '../core/projects/entryPoints';
import { parseMlproject } from '../core/projects/mlproject';
import type { Severity } from '../core/projects/types';
import type { ParameterAtResult } from '../protocol/language';
import type { LaunchRequest } from '../vscode/launch/request';

/**
 * What the language server answers, as pure functions of a document's URI and text, so that the
 * unit tests exercise exactly what the server sends. None of them throws on any text: the server
 * wraps them anyway, but a broken MLproject is the normal state of a file being typed.
 */

export const LAUNCH_COMMAND = 'modelFactory.launch';
export const DIAGNOSTIC_SOURCE = 'Model Factory';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
};

/** The MLproject file by name, whatever language id the editor gave it. */
export function isMlprojectUri(uri: string): boolean {
  return /(^|[/\\])MLproject(\.yaml)?$/.test(decodeURIComponent(uri.replace(/[?#].*$/, '')));
}

export function isPythonUri(uri: string): boolean {
  return /\.pyw?$/i.test(uri.replace(/[?#].*$/, ''));
}

export function diagnosticsFor(text: string): Diagnostic[] {
  return parseMlproject(text).diagnostics.map((problem) => ({
    range: problem.range,
    severity: SEVERITY[problem.severity],
    message: problem.message,
    code: problem.code,
    source: DIAGNOSTIC_SOURCE,
  }));
}

/** "▶ Run" and "▶ Run with parameters…" above each entry point's name. */
export function mlprojectLenses(uri: string, text: string): CodeLens[] {
  const { project } = parseMlproject(text);
  if (!project) return [];

  return project.entryPoints.flatMap((entryPoint) => {
    const kind = /^eval/i.test(entryPoint.name) ? 'evaluate' : 'train';
    const request: LaunchRequest = { kind, uri, entryPoint: entryPoint.name };
    const range = entryPoint.nameRange;
    return [
      lens(range, '▶ Run', request),
      lens(range, '▶ Run with parameters…', { ...request, ask: true }),
    ];
  });
}

/** "▶ Train" or "▶ Evaluate" above each matching function and the tracked `__main__` guard. */
export function pythonLenses(
  uri: string,
  text: string,
  patterns: EntryPointPatterns = DEFAULT_ENTRY_POINT_PATTERNS,
): CodeLens[] {
  const fileName = uri.slice(uri.lastIndexOf('/') + 1);
  return findPythonEntryPoints(text, patterns, fileName).map((found) => {
    const range = {
      start: { line: found.line, character: 0 },
      end: { line: found.line, character: 0 },
    };
    const title = found.kind === 'train' ? '▶ Train' : '▶ Evaluate';
    return lens(range, title, { kind: found.kind, uri });
  });
}

export function mlprojectCompletions(text: string, position: Position): CompletionItem[] {
  const completions = completeMlproject(text, position);
  if (!completions) return [];

  return completions.items.map((item) => ({
    label: item.label,
    kind: item.kind === 'type' ? CompletionItemKind.TypeParameter : CompletionItemKind.Property,
    detail: item.detail,
    documentation: { kind: MarkupKind.Markdown, value: item.documentation },
    textEdit: { range: completions.range, newText: item.insertText },
  }));
}

export function mlprojectHover(text: string, position: Position): Hover | undefined {
  const { project } = parseMlproject(text);
  const hit = project && parameterAt(project, position);
  if (!hit) return undefined;

  return {
    contents: { kind: MarkupKind.Markdown, value: describeParameter(hit.parameter) },
    range: hit.parameter.range,
  };
}

/** The entry point and parameter at a position, by name or by a {placeholder} in a command. */
export function mlprojectParameterAt(text: string, position: Position): ParameterAtResult {
  const { project } = parseMlproject(text);
  const hit = project && parameterAt(project, position);
  return hit ? { entryPoint: hit.entryPoint.name, parameter: hit.parameter.name } : null;
}

/** Patterns from the client's settings; anything malformed falls back to the defaults. */
export function readPatterns(settings: unknown): EntryPointPatterns {
  const record = (settings ?? {}) as Record<string, unknown>;
  const strings = (value: unknown, fallback: string[]) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : fallback;
  return {
    train: strings(record.trainPatterns, DEFAULT_ENTRY_POINT_PATTERNS.train),
    evaluate: strings(record.evaluatePatterns, DEFAULT_ENTRY_POINT_PATTERNS.evaluate),
  };
}

function lens(range: CodeLens['range'], title: string, request: LaunchRequest): CodeLens {
  return { range, command: { title, command: LAUNCH_COMMAND, arguments: [request] } };
}
