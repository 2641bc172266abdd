import { isScalar, Scalar, visit, type Document, type YAMLError } from 'yaml';
import type { Report, Span } from './report';
import { DiagnosticCode } from './types';
import { aliasTargets } from './yamlNodes';

/**
 * Turns the `yaml` package's errors and warnings into diagnostics. Its positions are often one
 * character (the first of a duplicated key) or the end of the file (for a missing quote), so each
 * is widened to the scalar it concerns, where there is one.
 */

const HINTS: Record<string, string> = {
  MISSING_CHAR: 'add the missing character',
  DUPLICATE_KEY: 'remove or rename one of them',
  BAD_INDENT: 'align it with the keys at its level',
  TAB_AS_INDENT: 'indent with spaces',
  MULTIPLE_DOCS: 'keep a single document',
};

export function reportYamlProblems(doc: Document, text: string, report: Report): void {
  const scalars = scalarSpans(doc);
  for (const error of doc.errors) {
    const hint = HINTS[error.code] ?? 'fix the YAML so the file can be read';
    const message = `${error.message}; ${hint}`;
    report.error(widen(error, scalars, text), DiagnosticCode.yamlSyntax, message);
  }
  for (const warning of doc.warnings) {
    report.warning(widen(warning, scalars, text), DiagnosticCode.yamlWarning, warning.message);
  }
  reportUnresolvedAliases(doc, report);
}

/** The parser accepts `*name` without an anchor, but no YAML loader, MLflow's included, does. */
function reportUnresolvedAliases(doc: Document, report: Report): void {
  for (const [alias, target] of aliasTargets(doc)) {
    if (target || !alias.range) continue;
    const message = `Alias *${alias.source} names no anchor; define &${alias.source} before it`;
    report.error([alias.range[0], alias.range[1]], DiagnosticCode.yamlSyntax, message);
  }
}

interface ScalarSpan {
  span: Span;
  quoted: boolean;
}

interface Scalars {
  all: ScalarSpan[];
  byStart: Map<number, Span>;
}

function scalarSpans(doc: Document): Scalars {
  const spans: ScalarSpan[] = [];
  visit(doc, {
    Scalar(_, node) {
      if (!isScalar(node) || !node.range) return;
      const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
      spans.push({ span: [node.range[0], node.range[1]], quoted });
    },
  });
  return { all: spans, byStart: new Map(spans.map((scalar) => [scalar.span[0], scalar.span])) };
}

function widen(error: YAMLError, scalars: Scalars, text: string): Span {
  const [start, end] = error.pos;
  if (error.code === 'MISSING_CHAR' && /quote/.test(error.message)) {
    // The parser notices a missing quote where the text ends; the quote that opened is the place.
    const open = scalars.all.filter((scalar) => scalar.quoted && scalar.span[1] >= start).at(-1);
    if (open) return [open.span[0], lineEndAfter(text, open.span[0])];
  }
  const scalar = scalars.byStart.get(start);
  return scalar && scalar[1] > end ? scalar : [start, end];
}

function lineEndAfter(text: string, offset: number): number {
  const end = text.slice(offset).search(/\r|\n/);
  return end < 0 ? text.length : offset + end;
}
