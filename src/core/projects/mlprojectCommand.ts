import type { Scalar } from 'yaml';
import { locateInSource, scanFormat, type FormatScan } from './placeholders';
import { closest, type ParseContext, type Span } from './report';
import { splitShellWords } from './shellWords';
import { DiagnosticCode, type EntryPoint } from './types';
import { inlineScalarSource, nodeSpan } from './yamlNodes';

/**
 * Checks an entry point's command against its parameters: placeholders that name no parameter,
 * parameters the command never uses, and shell syntax that a launch without a shell cannot run.
 */
export function checkCommand(entryPoint: EntryPoint, node: Scalar, context: ParseContext): void {
  const command = entryPoint.command ?? '';
  const locate = locator(command, node, context);
  const scan = scanFormat(command);

  for (const problem of scan.problems) {
    const span = locate(problem.start, problem.end);
    context.report.error(span, DiagnosticCode.malformedPlaceholder, problem.message);
  }
  recordPlaceholders(entryPoint, scan, locate, context);
  const meant = scan.problems.flatMap((problem) => problem.name ?? []);
  reportUnused(entryPoint, meant, context);
  reportShellProblems(command, locate, context);
}

/** Keeps each placeholder, for hover, and reports those that name no parameter. */
function recordPlaceholders(
  entryPoint: EntryPoint,
  scan: FormatScan,
  locate: Locator,
  context: ParseContext,
): void {
  const declared = entryPoint.parameters.map((parameter) => parameter.name);
  for (const segment of scan.segments) {
    if (segment.kind !== 'field') continue;
    const span = locate(segment.start, segment.end);
    const range = span === locate.whole ? undefined : context.report.range(span);
    entryPoint.placeholders.push({ name: segment.name, range });
    if (!declared.includes(segment.name)) reportUnknown(segment.name, span, entryPoint, context);
  }
}

interface Locator {
  (start: number, end: number): Span;
  /** The whole command, returned when a part cannot be pinned down. */
  whole: Span;
}

/** Maps offsets in the command's value to offsets in the document. */
function locator(command: string, node: Scalar, context: ParseContext): Locator {
  const whole = nodeSpan(node) ?? [0, 0];
  const source = inlineScalarSource(node, context.text);
  const locate = (start: number, end: number): Span => {
    if (source === undefined) return whole;
    const at = locateInSource(command, start, end - start, source);
    return at === undefined ? whole : [whole[0] + at, whole[0] + at + end - start];
  };
  return Object.assign(locate, { whole });
}

function reportUnknown(name: string, span: Span, entryPoint: EntryPoint, context: ParseContext) {
  const declared = entryPoint.parameters.map((parameter) => parameter.name);
  const suggestion = closest(name, declared);
  const fix = suggestion
    ? `did you mean {${suggestion}}?`
    : `declare it under parameters or correct the name`;
  const message = `{${name}} names no parameter of entry point '${entryPoint.name}'; ${fix}`;
  context.report.error(span, DiagnosticCode.unknownPlaceholder, message);
}

/** MLflow drops a declared parameter that the command does not use, so its value goes nowhere. */
function reportUnused(entryPoint: EntryPoint, meant: string[], context: ParseContext): void {
  const used = new Set([
    ...entryPoint.placeholders.map((placeholder) => placeholder.name),
    ...meant,
  ]);
  for (const parameter of entryPoint.parameters) {
    if (used.has(parameter.name)) continue;
    const message = `Parameter '${parameter.name}' is not used in the command; add {${parameter.name}} to the command or remove the parameter`;
    context.report.warning(parameter.range, DiagnosticCode.unusedParameter, message);
  }
}

function reportShellProblems(command: string, locate: Locator, context: ParseContext): void {
  for (const problem of splitShellWords(command).problems) {
    const span = locate(problem.start, problem.end);
    if (problem.kind === 'syntax') {
      context.report.error(span, DiagnosticCode.commandSyntax, problem.message);
    } else {
      context.report.warning(span, DiagnosticCode.shellOperator, problem.message);
    }
  }
}
