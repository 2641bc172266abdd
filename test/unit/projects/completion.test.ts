import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  completeMlproject,
  describeParameter,
  parameterAt,
} from '../../../src/core/projects/completion';
import { parseMlproject } from '../../../src/core/projects/mlproject';
import { REFERENCE_MLPROJECT, cursor, rangeOf } from './documents';

function complete(marked: string) {
  const { text, position } = cursor(marked);
  const completions = completeMlproject(text, position);
  return completions && { ...completions, labels: completions.items.map((item) => item.label) };
}

test('top-level keys are offered at the start of a line, without those already written', () => {
  const result = complete('name: churn\n<|>\nentry_points:\n  main:\n    command: x\n');

  assert.equal(result?.kind, 'top-level');
  assert.deepEqual(result?.labels, ['python_env', 'conda_env', 'docker_env']);
});

test('a partly typed key is replaced as a whole word', () => {
  const result = complete('entr<|>y');

  assert.deepEqual(result?.range, {
    start: { line: 0, character: 0 },
    end: { line: 0, character: 5 },
  });
  const entryPoints = result?.items.find((item) => item.label === 'entry_points');
  assert.equal(entryPoints?.insertText, 'entry_points:\n  ');
  assert.match(entryPoints?.documentation ?? '', /commands this project runs/);
});

test('entry point keys are offered inside an entry point', () => {
  const result = complete('entry_points:\n  main:\n    command: python x.py\n    <|>\n');

  assert.equal(result?.kind, 'entry-point');
  assert.deepEqual(result?.labels, ['parameters']);
  assert.equal(result?.items[0].insertText, 'parameters:\n      ');
});

test('parameter keys are offered inside a parameter, in block and flow style', () => {
  const block = complete('entry_points:\n  main:\n    parameters:\n      alpha:\n        <|>');
  const flow = complete('entry_points:\n  main:\n    parameters:\n      alpha: {type: float, <|>');

  assert.equal(block?.kind, 'parameter');
  assert.deepEqual(block?.labels, ['type', 'default']);
  assert.deepEqual(flow?.labels, ['default']);
  assert.equal(flow?.items[0].insertText, 'default: ');
});

test('parameter types, with their documentation, are offered wherever a type is written', () => {
  const places = [
    'entry_points:\n  main:\n    parameters:\n      alpha: fl<|>',
    'entry_points:\n  main:\n    parameters:\n      alpha:\n        type: <|>',
    'entry_points:\n  main:\n    parameters:\n      alpha: {type: <|>}',
    'entry_points:\n  main:\n    parameters: {alpha: <|>',
  ];

  for (const place of places) {
    const result = complete(place);
    assert.equal(result?.kind, 'parameter-type', place);
    assert.deepEqual(result?.labels, ['string', 'float', 'int', 'path', 'uri'], place);
  }
  assert.equal(complete(places[0])?.items[2].documentation, 'A whole number, like 100.');
});

test('nothing is offered inside commands, comments, entry point names or finished values', () => {
  const places = [
    'entry_points:\n  main:\n    command: |\n      python <|>',
    'entry_points:\n  main:\n    command: python x.py\n      --alpha <|>',
    '# a comment <|>',
    'entry_points:\n  <|>',
    'entry_points:\n  main:\n    parameters:\n      alpha: float <|>',
    'name: <|>',
  ];

  for (const place of places) assert.equal(complete(place), undefined, place);
});

test('hovering a parameter name or one of its placeholders finds the parameter', () => {
  const { project } = parseMlproject(REFERENCE_MLPROJECT);
  const name = rangeOf(REFERENCE_MLPROJECT, 'max_epochs');
  const placeholder = rangeOf(REFERENCE_MLPROJECT, '{max_epochs}');

  const onName = parameterAt(project!, {
    line: name.start.line,
    character: name.start.character + 3,
  });
  const onPlaceholder = parameterAt(project!, placeholder.end);
  const elsewhere = parameterAt(project!, { line: 0, character: 2 });

  assert.equal(onName?.entryPoint.name, 'main');
  assert.equal(onName?.parameter.name, 'max_epochs');
  assert.equal(onPlaceholder?.parameter, onName?.parameter);
  assert.equal(elsewhere, undefined);
});

test('a parameter is described with its type and its default, or as required', () => {
  const { project } = parseMlproject(REFERENCE_MLPROJECT);
  const [dataFile, regularization] = project!.entryPoints[0].parameters;

  assert.equal(
    describeParameter(regularization),
    '**regularization** · `float` · default `0.1`\n\nA number, like 0.01.',
  );
  assert.match(describeParameter(dataFile), /^\*\*data_file\*\* · `path` · required/);
});

test('defaults that are empty or hold backticks still read as code in the hover', () => {
  const text =
    "entry_points:\n  main:\n    parameters:\n      a: {default: ''}\n      b: {default: 'x`y'}\n    command: c {a} {b}\n";
  const [a, b] = parseMlproject(text).project!.entryPoints[0].parameters;

  assert.match(describeParameter(a), /default `""`/);
  assert.match(describeParameter(b), /default `` x`y ``/);
});
