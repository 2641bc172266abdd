import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMlproject } from '../../../src/core/projects/mlproject';
import type { Diagnostic } from '../../../src/core/projects/types';
import { REFERENCE_MLPROJECT, rangeOf } from './documents';

function only(text: string, code: string): Diagnostic[] {
  return parseMlproject(text).diagnostics.filter((diagnostic) => diagnostic.code === code);
}

test("MLflow's reference example parses into its entry points, with no diagnostics", () => {
  const { project, diagnostics } = parseMlproject(REFERENCE_MLPROJECT);

  assert.deepEqual(diagnostics, []);
  assert.equal(project?.name, 'My ML Project');
  const [main, validate] = project!.entryPoints;
  assert.equal(main.name, 'main');
  assert.deepEqual(main.nameRange, rangeOf(REFERENCE_MLPROJECT, 'main'));
  assert.equal(
    main.command,
    'python train.py --reg {regularization} --epochs {max_epochs} {data_file}',
  );
  assert.deepEqual(
    main.parameters.map(({ name, type, default: value, hasDefault }) => ({
      name,
      type,
      value,
      hasDefault,
    })),
    [
      { name: 'data_file', type: 'path', value: undefined, hasDefault: false },
      { name: 'regularization', type: 'float', value: 0.1, hasDefault: true },
      { name: 'max_epochs', type: 'int', value: 100, hasDefault: true },
    ],
  );
  assert.deepEqual(main.parameters[1].range, rangeOf(REFERENCE_MLPROJECT, 'regularization'));
  assert.deepEqual(
    validate.parameters.map((parameter) => [parameter.name, parameter.type, parameter.hasDefault]),
    [
      ['model_path', 'path', false],
      ['test_data', 'path', false],
    ],
  );
  assert.deepEqual(validate.placeholders[1], {
    name: 'test_data',
    range: rangeOf(REFERENCE_MLPROJECT, '{test_data}'),
  });
});

test('a parameter without a type is a string, and a null default leaves it required', () => {
  const text = `entry_points:
  main:
    parameters:
      a: {default: adam}
      b: {type: int, default: null}
      c: {type: float, default: 1.0}
    command: python x.py {a} {b} {c}
`;

  const { project, diagnostics } = parseMlproject(text);

  assert.deepEqual(diagnostics, []);
  const [a, b, c] = project!.entryPoints[0].parameters;
  assert.deepEqual([a.type, a.default, a.hasDefault], ['string', 'adam', true]);
  assert.deepEqual([b.type, b.hasDefault], ['int', false]);
  assert.deepEqual([c.default, c.defaultText], [1, '1.0']);
});

test('an unknown top-level key is reported on the key, with the likely key suggested', () => {
  const text = 'name: x\nentry_point:\n  main:\n    command: python x.py\n';

  assert.deepEqual(only(text, 'unknown-key'), [
    {
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 11 } },
      severity: 'error',
      message: "Unknown key 'entry_point' in an MLproject; did you mean 'entry_points'?",
      code: 'unknown-key',
    },
  ]);
});

test('an unknown key far from any known one lists the keys that are allowed', () => {
  const [diagnostic] = only('version: 2\n', 'unknown-key');

  assert.equal(
    diagnostic.message,
    "Unknown key 'version' in an MLproject; use name, python_env, conda_env, docker_env or entry_points, or remove it",
  );
});

test('unknown keys in an entry point and in a parameter are reported on those keys', () => {
  const text = `entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.1, help: learning rate}
    commands: python x.py {alpha}
`;

  const messages = only(text, 'unknown-key').map((d) => [d.range, d.message]);

  assert.deepEqual(messages, [
    [
      rangeOf(text, 'commands'),
      "Unknown key 'commands' in entry point 'main'; did you mean 'command'?",
    ],
    [
      rangeOf(text, 'help'),
      "Unknown key 'help' in parameter 'alpha'; use type or default, or remove it",
    ],
  ]);
});

test('an entry point without a command is an error on its name, or on an empty command key', () => {
  const text = `entry_points:
  main:
    parameters: {alpha: float}
  empty:
  blank:
    command:
`;

  const found = only(text, 'missing-command').map((d) => [d.range, d.message]);

  assert.deepEqual(found, [
    [
      rangeOf(text, 'main'),
      `Entry point 'main' has no command; add one, like command: "python main.py"`,
    ],
    [
      rangeOf(text, 'empty'),
      `Entry point 'empty' has no command; add one, like command: "python empty.py"`,
    ],
    [
      rangeOf(text, 'command'),
      `Entry point 'blank' has no command; add one, like command: "python blank.py"`,
    ],
  ]);
});

test('a parameter type outside string, float, int, path and uri is reported on the type', () => {
  const text = `entry_points:
  main:
    parameters:
      a: bool
      b: {type: list, default: x}
    command: python x.py {a} {b}
`;

  const { project, diagnostics } = parseMlproject(text);

  const message = (type: string) =>
    `Unknown parameter type '${type}'; use string, float, int, path or uri`;
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range, d.message]),
    [
      ['unknown-type', rangeOf(text, 'bool'), message('bool')],
      ['unknown-type', rangeOf(text, 'list'), message('list')],
    ],
  );
  assert.deepEqual(
    project!.entryPoints[0].parameters.map((p) => p.type),
    ['string', 'string'],
  );
});

test('defaults that do not fit their type are reported on the default', () => {
  const text = `entry_points:
  main:
    parameters:
      epochs: {type: int, default: 1.5}
      rate: {type: float, default: fast}
      folds: {type: int, default: true}
      data: {type: path, default: ""}
      seed: {type: int, default: "42"}
      ratio: {type: float, default: 1}
      label: {type: string, default: 3}
    command: python x.py {epochs} {rate} {folds} {data} {seed} {ratio} {label}
`;

  const found = only(text, 'default-type-mismatch').map((d) => [d.range, d.message]);

  const message = (name: string, noun: string, type: string) =>
    `The default of '${name}' should be ${noun} for type ${type}; change the default or the type`;
  assert.deepEqual(found, [
    [rangeOf(text, '1.5'), message('epochs', 'a whole number', 'int')],
    [rangeOf(text, 'fast'), message('rate', 'a number', 'float')],
    [rangeOf(text, 'true'), message('folds', 'a whole number', 'int')],
    [rangeOf(text, '""'), message('data', 'a path', 'path')],
  ]);
});

test('a default that is a list is reported as not a single value', () => {
  const text =
    'entry_points:\n  main:\n    parameters:\n      a: {default: [1, 2]}\n    command: x {a}\n';

  const [diagnostic] = only(text, 'default-type-mismatch');

  assert.deepEqual(diagnostic.range, rangeOf(text, '[1, 2]'));
  assert.equal(
    diagnostic.message,
    "The default of 'a' should be a single value, not a list or mapping",
  );
});
