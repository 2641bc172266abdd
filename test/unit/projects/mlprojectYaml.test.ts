import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMlproject } from '../../../src/core/projects/mlproject';
import { rangeOf } from './documents';

const codes = (text: string) => parseMlproject(text).diagnostics.map((d) => d.code);

test('a missing quote is reported from the opening quote, and the checks wait for the fix', () => {
  const text = `entry_points:
  main:
    parameters: {alpha: float}
    command: "python x.py {beta}
`;

  const { project, diagnostics } = parseMlproject(text);

  assert.deepEqual(diagnostics, [
    {
      range: { start: { line: 3, character: 13 }, end: { line: 3, character: 32 } },
      severity: 'error',
      message: 'Missing closing "quote; add the missing character',
      code: 'yaml-syntax',
    },
  ]);
  assert.equal(project?.entryPoints[0].name, 'main');
});

test('a duplicated key is a syntax error on the second one', () => {
  const text = 'name: a\nname: b\n';

  const [diagnostic] = parseMlproject(text).diagnostics;

  assert.equal(diagnostic.code, 'yaml-syntax');
  assert.deepEqual(diagnostic.range, rangeOf(text, 'name', 1));
  assert.equal(diagnostic.message, 'Map keys must be unique; remove or rename one of them');
});

test('a document that is not a mapping is an error, and an empty one a hint', () => {
  const list = parseMlproject('- python train.py\n');
  const empty = parseMlproject('# nothing yet\n');

  assert.equal(list.project, undefined);
  assert.deepEqual(
    list.diagnostics.map((d) => [d.severity, d.code, d.range.start, d.range.end]),
    [['error', 'not-a-mapping', { line: 0, character: 0 }, { line: 0, character: 17 }]],
  );
  assert.deepEqual(
    empty.diagnostics.map((d) => [d.severity, d.message]),
    [['information', 'This MLproject is empty; add entry_points with a command to run']],
  );
});

test('top-level values of the wrong shape say what they should be', () => {
  const text = `name: {first: a}
python_env: [a, b]
docker_env: {volumes: []}
entry_points: [main]
`;

  const found = parseMlproject(text).diagnostics.map((d) => [d.range, d.message]);

  assert.deepEqual(found, [
    [rangeOf(text, '{first: a}'), "'name' should be a name, like My Project"],
    [rangeOf(text, '[a, b]'), "'python_env' should be the path of a file, like python_env.yaml"],
    [
      rangeOf(text, '{volumes: []}'),
      "'docker_env' should be a mapping with an image, like {image: python:3.12}",
    ],
    [
      rangeOf(text, '[main]'),
      "'entry_points' should be a mapping from entry point names to their command and parameters",
    ],
  ]);
});

test('entry points, parameter lists and parameters of the wrong shape are reported there', () => {
  const text = `entry_points:
  main: python main.py
  other:
    parameters: [alpha]
    command: 42
  third:
    parameters:
      alpha:
      beta: 3
    command: python x.py {alpha} {beta}
`;

  const found = parseMlproject(text).diagnostics.map((d) => [d.code, d.range, d.message]);

  assert.deepEqual(found, [
    [
      'invalid-value',
      rangeOf(text, 'python main.py'),
      `Entry point 'main' should be a mapping with a command, like command: "python main.py"`,
    ],
    [
      'invalid-value',
      rangeOf(text, '[alpha]'),
      'parameters should be a mapping, like {alpha: float, data: path}',
    ],
    [
      'invalid-value',
      rangeOf(text, '42'),
      'The command should be text, like "python train.py --alpha {alpha}"',
    ],
    [
      'invalid-value',
      rangeOf(text, 'alpha', 1),
      "Parameter 'alpha' needs a type, like alpha: float or alpha: {type: float, default: 0.1}",
    ],
    [
      'invalid-value',
      rangeOf(text, '3'),
      "Parameter 'beta' needs a type, like beta: float or beta: {type: float, default: 0.1}",
    ],
  ]);
});

test('a conda environment beside a python_env or Docker one is refused as MLflow does', () => {
  const text = 'conda_env: conda.yaml\npython_env: python_env.yaml\ndocker_env: {image: x}\n';

  const found = parseMlproject(text).diagnostics.map((d) => [d.range, d.message]);

  assert.deepEqual(found, [
    [
      rangeOf(text, 'conda_env'),
      'conda_env cannot be combined with docker_env; keep one environment',
    ],
    [
      rangeOf(text, 'conda_env'),
      'conda_env cannot be combined with python_env; keep one environment',
    ],
  ]);
});

test('ranges count lines the same with CRLF line endings', () => {
  const text = 'name: x\r\nentry_points:\r\n  main:\r\n    command: python x.py {beta}\r\n';

  const [diagnostic] = parseMlproject(text).diagnostics;

  assert.equal(diagnostic.code, 'unknown-placeholder');
  assert.deepEqual(diagnostic.range, {
    start: { line: 3, character: 25 },
    end: { line: 3, character: 31 },
  });
});

test('an alias bomb neither hangs nor throws', () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let level = 1; level < 12; level++) {
    const previous = String.fromCharCode(96 + level);
    const name = String.fromCharCode(97 + level);
    levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
  }
  const text = `${levels.join('\n')}\nname: *l\n`;

  const started = Date.now();
  const result = parseMlproject(text);

  assert.ok(Date.now() - started < 2000);
  assert.ok(result.diagnostics.some((d) => d.code === 'invalid-value'));
});

test('unknown keys, types and placeholders are all reported in a single pass', () => {
  const text =
    'entry_points:\n  main:\n    parameters: {a: bool}\n    command: x {b}\n    env: 1\n';

  assert.deepEqual(codes(text).sort(), [
    'unknown-key',
    'unknown-placeholder',
    'unknown-type',
    'unused-parameter',
  ]);
});

test('aliases and merge keys are read as MLflow reads them, and a dangling alias is an error', () => {
  const text = `entry_points:
  base: &base
    parameters: &params {alpha: {type: float, default: 0.1}}
    command: &cmd python x.py {alpha}
  main:
    <<: *base
  tuned:
    parameters: *params
    command: *cmd
  broken:
    command: *missing
`;

  const { project, diagnostics } = parseMlproject(text);

  const [, main, tuned] = project!.entryPoints;
  assert.equal(main.command, 'python x.py {alpha}');
  assert.deepEqual(
    main.parameters.map((p) => p.name),
    ['alpha'],
  );
  assert.equal(tuned.parameters[0].defaultText, '0.1');
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range, d.message]),
    [
      [
        'yaml-syntax',
        rangeOf(text, '*missing'),
        'Alias *missing names no anchor; define &missing before it',
      ],
      [
        'missing-command',
        rangeOf(text, 'command', 2),
        `Entry point 'broken' has no command; add one, like command: "python broken.py"`,
      ],
    ],
  );
});

test('a mapping that merges itself is read once instead of forever', () => {
  const text = 'entry_points:\n  main: &m\n    <<: *m\n    command: python x.py\n';

  const { project, diagnostics } = parseMlproject(text);

  assert.equal(project?.entryPoints[0].command, 'python x.py');
  assert.deepEqual(diagnostics, []);
});
