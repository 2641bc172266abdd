import { isMap, isScalar } from 'yaml';
import { checkCommand } from './mlprojectCommand';
import { unknownKeyMessage, type ParseContext, type Span } from './report';
import { DiagnosticCode, type EntryPoint, type Parameter, type ParameterType } from './types';
import { fitsType, typeNoun } from './values';
import { entryPointKeySchema, parameterKeySchema, parameterTypeSchema } from './vocabulary';
import {
  isEmpty,
  mapPairs,
  nodeSpan,
  pairOf,
  scalarString,
  scalarText,
  valueSpan,
  type KeyValue,
} from './yamlNodes';

/** Entry points with their parameters; the shape of `entry_points` itself is checked above. */
export function readEntryPoints(node: unknown, context: ParseContext): EntryPoint[] {
  return mapPairs(node, context.doc).flatMap((pair) => readEntryPoint(pair, context) ?? []);
}

function readEntryPoint(pair: KeyValue, context: ParseContext): EntryPoint | undefined {
  const name = scalarString(pair.key);
  const nameSpan = nodeSpan(pair.key);
  if (name === undefined || !nameSpan) return undefined;
  const entryPoint: EntryPoint = {
    name,
    nameRange: context.report.range(nameSpan),
    parameters: [],
    placeholders: [],
  };

  if (isMap(pair.value)) {
    checkKeys(pair.value, `entry point '${name}'`, entryPointKeySchema.options, context);
    entryPoint.parameters = readParameters(pairOf(pair.value, 'parameters', context.doc), context);
    readCommand(entryPoint, pairOf(pair.value, 'command', context.doc), nameSpan, context);
  } else if (isEmpty(pair.value)) {
    reportMissingCommand(name, nameSpan, context);
  } else {
    const message = `Entry point '${name}' should be a mapping with a command, like command: "python ${name}.py"`;
    context.report.error(valueSpan(pair), DiagnosticCode.invalidValue, message);
  }
  return entryPoint;
}

function readCommand(
  entryPoint: EntryPoint,
  pair: KeyValue | undefined,
  nameSpan: Span,
  context: ParseContext,
): void {
  if (!pair || isEmpty(pair.value)) {
    reportMissingCommand(entryPoint.name, nodeSpan(pair?.key) ?? nameSpan, context);
    return;
  }
  const span = nodeSpan(pair.value);
  if (!isScalar(pair.value) || typeof pair.value.value !== 'string' || !span) {
    const message = 'The command should be text, like "python train.py --alpha {alpha}"';
    context.report.error(valueSpan(pair), DiagnosticCode.invalidValue, message);
    return;
  }
  entryPoint.command = pair.value.value;
  entryPoint.commandRange = context.report.range(span);
  checkCommand(entryPoint, pair.value, context);
}

function reportMissingCommand(name: string, span: Span, context: ParseContext): void {
  const message = `Entry point '${name}' has no command; add one, like command: "python ${name}.py"`;
  context.report.error(span, DiagnosticCode.missingCommand, message);
}

function readParameters(pair: KeyValue | undefined, context: ParseContext): Parameter[] {
  if (!pair) return [];
  if (!isMap(pair.value)) {
    const message = 'parameters should be a mapping, like {alpha: float, data: path}';
    context.report.error(valueSpan(pair), DiagnosticCode.invalidValue, message);
    return [];
  }
  return mapPairs(pair.value, context.doc).flatMap((item) => readParameter(item, context) ?? []);
}

/** Reads `name: type` or `name: {type, default}`; a missing type means string, as in MLflow. */
function readParameter(pair: KeyValue, context: ParseContext): Parameter | undefined {
  const name = scalarString(pair.key);
  const span = nodeSpan(pair.key);
  if (name === undefined || !span) return undefined;
  const parameter: Parameter = {
    name,
    type: 'string',
    hasDefault: false,
    range: context.report.range(span),
  };

  if (isScalar(pair.value) && typeof pair.value.value === 'string') {
    parameter.type = readType(pair.value, context) ?? 'string';
  } else if (isMap(pair.value)) {
    readParameterMapping(parameter, pair.value, context);
  } else {
    const message = `Parameter '${name}' needs a type, like ${name}: float or ${name}: {type: float, default: 0.1}`;
    context.report.error(valueSpan(pair), DiagnosticCode.invalidValue, message);
  }
  return parameter;
}

function readParameterMapping(parameter: Parameter, node: unknown, context: ParseContext): void {
  checkKeys(node, `parameter '${parameter.name}'`, parameterKeySchema.options, context);
  const typeEntry = pairOf(node, 'type', context.doc);
  const type = typeEntry ? readType(typeEntry.value, context, valueSpan(typeEntry)) : 'string';
  parameter.type = type ?? 'string';
  // A default is only checked against a type MLflow knows; an unknown one is reported already.
  const defaultEntry = pairOf(node, 'default', context.doc);
  readDefault(parameter, defaultEntry, context, type !== undefined);
}

/** Reads a type, reporting one MLflow does not know (its values are then passed on as strings). */
function readType(node: unknown, context: ParseContext, span?: Span): ParameterType | undefined {
  const parsed = parameterTypeSchema.safeParse(isScalar(node) ? node.value : undefined);
  if (parsed.success) return parsed.data;

  const written = scalarString(node) ?? '';
  const message = `Unknown parameter type '${written}'; use string, float, int, path or uri`;
  context.report.error(span ?? nodeSpan(node) ?? [0, 0], DiagnosticCode.unknownType, message);
  return undefined;
}

function readDefault(
  parameter: Parameter,
  pair: KeyValue | undefined,
  context: ParseContext,
  typeKnown: boolean,
): void {
  if (!pair || isEmpty(pair.value)) return;
  if (!isScalar(pair.value)) {
    const message = `The default of '${parameter.name}' should be a single value, not a list or mapping`;
    context.report.error(valueSpan(pair), DiagnosticCode.defaultTypeMismatch, message);
    return;
  }

  const text = scalarText(pair.value, context.text);
  parameter.default = typeof pair.value.value === 'number' ? pair.value.value : text;
  parameter.defaultText = text;
  parameter.hasDefault = true;
  if (typeKnown && !fitsType(parameter.type, text)) {
    const message = `The default of '${parameter.name}' should be ${typeNoun(parameter.type)} for type ${parameter.type}; change the default or the type`;
    context.report.error(valueSpan(pair), DiagnosticCode.defaultTypeMismatch, message);
  }
}

function checkKeys(
  node: unknown,
  where: string,
  known: readonly string[],
  context: ParseContext,
): void {
  for (const pair of mapPairs(node, context.doc)) {
    const key = scalarString(pair.key) ?? '';
    if (known.includes(key)) continue;
    const span = nodeSpan(pair.key) ?? nodeSpan(node) ?? [0, 0];
    context.report.error(span, DiagnosticCode.unknownKey, unknownKeyMessage(key, where, known));
  }
}
