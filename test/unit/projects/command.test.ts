import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildArgv, checkParameterValue, CommandError } from '../../../src/core/projects/command';
import { parseMlproject } from '../../../src/core/projects/mlproject';
import type { EntryPoint } from '../../../src/core/projects/types';
import { REFERENCE_MLPROJECT } from './documents';

function entryPoint(command: string, parameters = '{}'): EntryPoint {
  const text = `entry_points:\n  main:\n    parameters: ${parameters}\n    command: ${JSON.stringify(command)}\n`;
  return parseMlproject(text).project!.entryPoints[0];
}

function failure(run: () => unknown): CommandError {
  try {
    run();
  } catch (error) {
    if (error instanceof CommandError) return error;
    throw error;
  }
  assert.fail('expected a CommandError');
}

const HOSTILE = [
  '; rm -rf ~',
  '$(reboot)',
  '`reboot`',
  'a\nb',
  `it's "quoted"`,
  '',
  '--flag',
  '{alpha}',
  '*',
  '\\',
];

test("the reference example's main entry point fills placeholders and defaults", () => {
  const main = parseMlproject(REFERENCE_MLPROJECT).project!.entryPoints[0];

  const { argv } = buildArgv(main, { data_file: 'data.csv', max_epochs: '5' });

  assert.deepEqual(argv, ['python', 'train.py', '--reg', '0.1', '--epochs', '5', 'data.csv']);
});

test('a required parameter without a value fails, naming every missing one', () => {
  const validate = parseMlproject(REFERENCE_MLPROJECT).project!.entryPoints[1];

  const error = failure(() => buildArgv(validate, {}));

  assert.equal(error.code, 'missing-value');
  assert.equal(
    error.message,
    "No value given for the required parameters 'model_path', 'test_data' of entry point 'validate'; give a value or add a default in the MLproject",
  );
});

test('undeclared parameters are appended as --key value, two elements each, in order', () => {
  const main = entryPoint('python x.py {alpha}', '{alpha: {type: float, default: 0.5}}');

  const { argv } = buildArgv(main, { batch: '32', alpha: '0.1', 'dry-run': '' });

  assert.deepEqual(argv, ['python', 'x.py', '0.1', '--batch', '32', '--dry-run', '']);
});

test('an undeclared parameter without a name is refused rather than passed as a bare --', () => {
  const error = failure(() => buildArgv(entryPoint('python x.py'), { '': 'value' }));

  assert.equal(error.code, 'invalid-value');
});

test('a placeholder inside a word fills that word, and quotes in the template group words', () => {
  const main = entryPoint(
    `python x.py --alpha={alpha} 'two words' "{alpha} and {name}" it\\'s pre{name}post ''`,
    '{alpha: float, name: string}',
  );

  const { argv } = buildArgv(main, { alpha: '0.1', name: 'N' });

  assert.deepEqual(argv, [
    'python',
    'x.py',
    '--alpha=0.1',
    'two words',
    '0.1 and N',
    "it's",
    'preNpost',
    '',
  ]);
});

test('doubled braces in the template are literal braces, as with str.format', () => {
  const main = entryPoint(`python x.py '{{"a": {alpha}}}'`, '{alpha: int}');

  assert.deepEqual(buildArgv(main, { alpha: '3' }).argv, ['python', 'x.py', '{"a": 3}']);
});

test('line continuations join a block command, and a trailing newline is harmless', () => {
  const main = entryPoint('python x.py \\\n  --alpha {alpha}\n', '{alpha: float}');

  assert.deepEqual(buildArgv(main, { alpha: '1' }).argv, ['python', 'x.py', '--alpha', '1']);
});

test('hostile values arrive verbatim, each as a single element, wherever they go', () => {
  const main = entryPoint('python x.py {text} --prefixed=x{text} "{text}"', '{text: string}');

  for (const value of HOSTILE) {
    const { argv } = buildArgv(main, { text: value, [value || 'empty']: value });
    assert.deepEqual(
      argv,
      ['python', 'x.py', value, `--prefixed=x${value}`, value, `--${value || 'empty'}`, value],
      JSON.stringify(value),
    );
  }
});

test('dollar signs, backticks and globs in the template stay literal', () => {
  const main = entryPoint('python x.py $HOME `id` *.csv ~/data');

  assert.deepEqual(buildArgv(main, {}).argv, [
    'python',
    'x.py',
    '$HOME',
    '`id`',
    '*.csv',
    '~/data',
  ]);
});

test('templates with shell operators are refused, since no shell runs them', () => {
  const templates = [
    'python a.py; python b.py',
    'python a.py | tee log',
    'prep && train',
    'python x.py > out',
    'python a.py\npython b.py',
    'python x.py 2>&1',
    '(cd src)',
  ];

  for (const template of templates) {
    const error = failure(() => buildArgv(entryPoint(template), {}));
    assert.equal(error.code, 'shell-syntax', template);
    assert.match(
      error.message,
      /MLproject commands run without a shell; split this command or use a script/,
      template,
    );
  }
});

test('quoted operators are ordinary characters', () => {
  const main = entryPoint(`python x.py ';' "a | b" \\&\\&`);

  assert.deepEqual(buildArgv(main, {}).argv, ['python', 'x.py', ';', 'a | b', '&&']);
});

test('an unterminated quote or a bad placeholder in the template fails clearly', () => {
  const quote = failure(() => buildArgv(entryPoint(`python x.py 'open`), {}));
  const unknown = failure(() => buildArgv(entryPoint('python x.py {nope}'), { nope: 'x' }));
  const spec = failure(() =>
    buildArgv(entryPoint('python x.py {a:.2f}', '{a: float}'), { a: '1' }),
  );

  assert.equal(quote.message, "Entry point 'main': Unterminated single quote; close it with '");
  assert.equal(
    unknown.message,
    "The command of entry point 'main' uses {nope}, which is not a declared parameter; declare it under parameters",
  );
  assert.equal(spec.code, 'bad-placeholder');
});

test('an entry point without a command cannot be built', () => {
  const text = 'entry_points:\n  main:\n    parameters: {a: int}\n';
  const main = parseMlproject(text).project!.entryPoints[0];

  assert.equal(failure(() => buildArgv(main, {})).code, 'missing-command');
});

test('typed values are checked, given or defaulted', () => {
  const main = entryPoint('python x.py {n} {r}', '{n: int, r: {type: float, default: 1.0}}');

  assert.deepEqual(buildArgv(main, { n: '-3' }).argv, ['python', 'x.py', '-3', '1.0']);
  assert.deepEqual(buildArgv(main, { n: '7', r: '1e-3' }).argv, ['python', 'x.py', '7', '1e-3']);
  const error = failure(() => buildArgv(main, { n: '2.5' }));
  assert.equal(error.code, 'invalid-value');
  assert.equal(
    error.message,
    "Parameter 'n' (int) cannot be '2.5': Enter a whole number, like 100",
  );
  assert.equal(failure(() => buildArgv(main, { n: '1', r: 'fast' })).code, 'invalid-value');
});

test('path values are resolved against the project folder; URIs are left as they are', () => {
  const main = entryPoint('python x.py {data} {model}', '{data: path, model: uri}');
  const projectDir = path.resolve('/work/project');

  const relative = buildArgv(main, { data: 'data/a.csv', model: 'runs:/1/model' }, { projectDir });
  const remote = buildArgv(main, { data: 's3://bucket/a.csv', model: 'models/m' }, { projectDir });
  const unresolved = buildArgv(main, { data: 'data/a.csv', model: 'm' });

  assert.deepEqual(relative.argv.slice(2), [path.join(projectDir, 'data/a.csv'), 'runs:/1/model']);
  assert.deepEqual(remote.argv.slice(2), ['s3://bucket/a.csv', 'models/m']);
  assert.deepEqual(unresolved.argv.slice(2), ['data/a.csv', 'm']);
});

test('quick input checks say what to enter for each type', () => {
  assert.equal(checkParameterValue({ type: 'int' }, '42'), undefined);
  assert.equal(checkParameterValue({ type: 'int' }, '4 2'), 'Enter a whole number, like 100');
  assert.equal(checkParameterValue({ type: 'float' }, '.5e-3'), undefined);
  assert.equal(checkParameterValue({ type: 'float' }, 'inf'), undefined);
  assert.equal(checkParameterValue({ type: 'float' }, '0.1.2'), 'Enter a number, like 0.01');
  assert.equal(checkParameterValue({ type: 'path' }, ' '), 'Enter a path, like data/train.csv');
  assert.equal(
    checkParameterValue({ type: 'uri' }, ''),
    'Enter a URI or path, like s3://bucket/train.csv',
  );
  assert.equal(checkParameterValue({ type: 'string' }, ''), undefined);
});
