import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMlproject } from '../../../src/core/projects/mlproject';
import type { Range } from '../../../src/core/projects/types';
import { rangeOf } from './documents';

function found(text: string, code: string) {
  return parseMlproject(text)
    .diagnostics.filter((diagnostic) => diagnostic.code === code)
    .map((diagnostic) => [diagnostic.range, diagnostic.message]);
}

/** Moves a single-line range right, to point inside a larger match. */
function shift(range: Range, start: number, length: number): Range {
  const character = range.start.character + start;
  return {
    start: { line: range.start.line, character },
    end: { line: range.start.line, character: character + length },
  };
}

const withCommand = (command: string) => `entry_points:
  main:
    parameters: {alpha: float}
    command: ${command}
`;

test('a placeholder naming no parameter is reported on the placeholder in a plain command', () => {
  const text = withCommand('python x.py --alpha {alpha} --beta {beta}');

  assert.deepEqual(found(text, 'unknown-placeholder'), [
    [
      rangeOf(text, '{beta}'),
      "{beta} names no parameter of entry point 'main'; declare it under parameters or correct the name",
    ],
  ]);
});

test('a misspelt placeholder suggests the parameter it probably meant', () => {
  const text = withCommand('python x.py --alpha {alpah}');

  const [[, message]] = found(text, 'unknown-placeholder');

  assert.equal(message, "{alpah} names no parameter of entry point 'main'; did you mean {alpha}?");
});

test('placeholders are located inside double-quoted commands despite escapes before them', () => {
  const text = withCommand('"python \\"x y.py\\" \\u0041 {alpha} {beta}"');

  assert.deepEqual(found(text, 'unknown-placeholder')[0][0], rangeOf(text, '{beta}'));
});

test("placeholders are located inside single-quoted commands despite '' before them", () => {
  const text = withCommand(`'python ''x.py'' {alpha} {beta}'`);

  assert.deepEqual(found(text, 'unknown-placeholder')[0][0], rangeOf(text, '{beta}'));
});

test('placeholders are located in a plain command folded over several lines', () => {
  const text = withCommand('python x.py\n      --alpha {alpha}\n      --beta {beta}');

  assert.deepEqual(found(text, 'unknown-placeholder')[0][0], rangeOf(text, '{beta}'));
});

test('a placeholder repeated in the command is located at each of its occurrences', () => {
  const text = withCommand('python x.py {beta} {alpha} {beta}');

  const ranges = found(text, 'unknown-placeholder').map(([range]) => range);

  assert.deepEqual(ranges, [rangeOf(text, '{beta}', 0), rangeOf(text, '{beta}', 1)]);
});

test('in a block scalar command a bad placeholder is reported on the whole command', () => {
  const text = withCommand('|\n      python x.py --alpha {alpha}\n      --beta {beta}');

  const { project } = parseMlproject(text);

  const command = project!.entryPoints[0].commandRange!;
  assert.deepEqual(found(text, 'unknown-placeholder')[0][0], command);
  assert.deepEqual(command.start, rangeOf(text, '|').start);
});

test('an escape that spells a placeholder makes its position unknown, never wrong', () => {
  const text = withCommand('"python x.py {alpha} \\x7bbeta}"');

  const { project } = parseMlproject(text);

  const entryPoint = project!.entryPoints[0];
  assert.deepEqual(found(text, 'unknown-placeholder')[0][0], entryPoint.commandRange);
  assert.equal(entryPoint.placeholders[1].range, undefined);
});

test('a declared parameter that the command never uses is a warning on the parameter', () => {
  const text = `entry_points:
  main:
    parameters: {alpha: float, beta: int}
    command: python x.py {alpha}
`;

  const { diagnostics } = parseMlproject(text);

  assert.deepEqual(diagnostics, [
    {
      range: rangeOf(text, 'beta'),
      severity: 'warning',
      message:
        "Parameter 'beta' is not used in the command; add {beta} to the command or remove the parameter",
      code: 'unused-parameter',
    },
  ]);
});

test('malformed placeholders and lone braces are errors at their place; doubled braces are text', () => {
  const text = withCommand(`python x.py --alpha {alpha:.2f} {} {{literal}} '}'`);

  assert.deepEqual(found(text, 'malformed-placeholder'), [
    [
      rangeOf(text, '{alpha:.2f}'),
      'Placeholder {alpha:.2f} cannot be filled, because MLflow passes values as quoted text; write {alpha}',
    ],
    [
      rangeOf(text, '{}'),
      'Placeholder {} has no name; MLflow fills only named placeholders like {alpha}',
    ],
    [
      shift(rangeOf(text, "'}'"), 1, 1),
      "Unmatched '}' in the command; write '}}' for a literal brace",
    ],
  ]);
  assert.deepEqual(found(text, 'unused-parameter'), []);
});

test('shell operators in a command are a warning at the operator, since launches use no shell', () => {
  const text = withCommand('python prep.py && python x.py {alpha} > out.txt');

  const message = (operator: string) =>
    `MLproject commands run without a shell; split this command or use a script (found '${operator}')`;
  assert.deepEqual(found(text, 'shell-operator'), [
    [rangeOf(text, '&&'), message('&&')],
    [rangeOf(text, '>'), message('>')],
  ]);
});

test('quoted operators are plain text and draw no warning', () => {
  const text = withCommand(`"python x.py {alpha} --sep '|' --query \\"a && b\\""`);

  assert.deepEqual(parseMlproject(text).diagnostics, []);
});

test('an unterminated quote in a command is an error from the quote to the end', () => {
  const text = withCommand(`"python x.py {alpha} --name 'unfinished"`);

  assert.deepEqual(found(text, 'command-syntax'), [
    [
      { start: rangeOf(text, "'unf").start, end: rangeOf(text, 'unfinished').end },
      "Unterminated single quote; close it with '",
    ],
  ]);
});
