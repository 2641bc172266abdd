import { isMap, parseDocument } from 'yaml';
import { readEntryPoints } from './mlprojectEntryPoints';
import { Report, unknownKeyMessage, type ParseContext, type Span } from './report';
import { TextLines } from './text';
import { reportYamlProblems } from './yamlErrors';
import { DiagnosticCode, type Diagnostic, type Mlproject } from './types';
import { TOP_LEVEL_VALUES, topLevelKeySchema } from './vocabulary';
import {
  plainValue,
  mapPairs,
  nodeSpan,
  pairOf,
  scalarString,
  valueSpan,
  type KeyValue,
} from './yamlNodes';

export interface MlprojectParse {
  /** Absent only when the document is not a mapping at all. */
  project?: Mlproject;
  diagnostics: Diagnostic[];
}

/**
 * Reads an MLproject file and reports what MLflow would reject or silently ignore. It never
 * throws: broken YAML becomes diagnostics, and whatever the parser recovered is still modelled,
 * so lenses and completion keep working while the user types.
 */
export function parseMlproject(text: string): MlprojectParse {
  const lines = new TextLines(text);
  const doc = parseDocument(text, { prettyErrors: false, logLevel: 'error', merge: true });
  const syntax = new Report(lines);
  reportYamlProblems(doc, text, syntax);

  const checks = new Report(lines);
  const project = readProject({ text, doc, report: checks });

  // After a syntax error the recovered tree can mislead (an unclosed quote swallows the rest of
  // the file), so its checks wait until the YAML reads cleanly.
  const clean = doc.errors.length === 0;
  const diagnostics = clean ? [...syntax.diagnostics, ...checks.diagnostics] : syntax.diagnostics;
  return { project, diagnostics };
}

function readProject(context: ParseContext): Mlproject | undefined {
  const root = context.doc.contents;
  if (!isMap(root)) {
    reportNotAMapping(root, context);
    return undefined;
  }

  for (const entry of mapPairs(root, context.doc)) checkTopLevelPair(entry, context);
  checkEnvironments(root, context);

  const name = scalarString(pairOf(root, 'name', context.doc)?.value);
  const entryPoints = readEntryPoints(pairOf(root, 'entry_points', context.doc)?.value, context);
  return { name, entryPoints };
}

function reportNotAMapping(root: unknown, context: ParseContext): void {
  const span: Span = nodeSpan(root) ?? [0, 0];
  if (root === null || root === undefined) {
    const message = 'This MLproject is empty; add entry_points with a command to run';
    context.report.add('information', span, DiagnosticCode.notAMapping, message);
    return;
  }
  const message =
    'An MLproject is a mapping of keys like name and entry_points; start a line with entry_points:';
  context.report.error(span, DiagnosticCode.notAMapping, message);
}

function checkTopLevelPair(pair: KeyValue, context: ParseContext): void {
  const key = scalarString(pair.key) ?? '';
  const known = topLevelKeySchema.safeParse(key);
  if (!known.success) {
    const message = unknownKeyMessage(key, 'an MLproject', topLevelKeySchema.options);
    context.report.error(nodeSpan(pair.key) ?? [0, 0], DiagnosticCode.unknownKey, message);
    return;
  }

  const { schema, expected } = TOP_LEVEL_VALUES[known.data];
  if (!schema.safeParse(plainValue(pair.value, context.doc)).success) {
    const message = `'${key}' should be ${expected}`;
    context.report.error(valueSpan(pair), DiagnosticCode.invalidValue, message);
  }
}

/** MLflow refuses a conda environment next to a Docker or python_env one. */
function checkEnvironments(root: unknown, context: ParseContext): void {
  const conda = pairOf(root, 'conda_env', context.doc);
  if (!conda) return;
  for (const other of ['docker_env', 'python_env']) {
    if (!pairOf(root, other, context.doc)) continue;
    const message = `conda_env cannot be combined with ${other}; keep one environment`;
    context.report.error(
      nodeSpan(conda.key) ?? [0, 0],
      DiagnosticCode.conflictingEnvironments,
      message,
    );
  }
}
