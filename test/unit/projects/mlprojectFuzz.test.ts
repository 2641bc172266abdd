import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildArgv, CommandError } from '../../../src/core/projects/command';
import { completeMlproject, parameterAt } from '../../../src/core/projects/completion';
import { parseMlproject } from '../../../src/core/projects/mlproject';
import { DiagnosticCode, type Diagnostic } from '../../../src/core/projects/types';
import { REFERENCE_MLPROJECT } from './documents';

const RICH_MLPROJECT = `name: "Churn \\u00e9"
docker_env:
  image: python:3.12
  volumes: ["/data:/data"]
entry_points:
  train:
    parameters:
      data: {type: path, default: data/reference.csv}
      lr: {type: float, default: 1e-2}
      'epochs': {type: int, default: 30}
      note: {default: 'it''s'}
    command: |
      python train.py --data {data} \\
        --lr {lr} --epochs {epochs} "{note}"
  evaluate:
    parameters: {model: uri, threshold: {type: float, default: .5}}
    command: >-
      python evaluate.py '{model}'
      --threshold={threshold} # trailing
`;

const NOISE = [
  ':',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '|',
  '>',
  '-',
  '#',
  '&a ',
  '*a',
  '!!int ',
  '%',
  '@',
  '`',
  '\t',
  '\n',
  '\r\n',
  '  ',
  '? ',
  '---\n',
  '...',
  '\\',
  ',',
  '{x}',
  '{{',
  'é',
  '\u2028',
  '\0',
];

/** A small seeded generator (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  switch (Math.floor(next() * 5)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 12));
    case 2:
      return text.slice(0, at) + pick(NOISE) + text.slice(at);
    case 3: {
      const lines = text.split('\n');
      const line = Math.floor(next() * lines.length);
      lines.splice(line, 0, lines[Math.floor(next() * lines.length)]);
      return lines.join('\n');
    }
    default:
      return text.replace(/^ +/gm, (indent) => (next() < 0.2 ? indent.slice(1) : indent));
  }
}

const KNOWN_CODES = new Set<string>(Object.values(DiagnosticCode));

function assertWellFormed(diagnostic: Diagnostic, lineCount: number, context: string): void {
  const { start, end } = diagnostic.range;
  assert.ok(KNOWN_CODES.has(diagnostic.code), context);
  assert.ok(diagnostic.message.length > 0, context);
  assert.ok(start.line >= 0 && start.character >= 0 && end.line < lineCount, context);
  assert.ok(
    start.line < end.line || (start.line === end.line && start.character <= end.character),
    context,
  );
}

function exerciseEverything(text: string, next: () => number, context: string): void {
  const { project, diagnostics } = parseMlproject(text);
  const lineCount = text.split(/\r\n|\r|\n/).length;
  for (const diagnostic of diagnostics) assertWellFormed(diagnostic, lineCount, context);

  const position = { line: Math.floor(next() * lineCount), character: Math.floor(next() * 40) };
  completeMlproject(text, position);
  if (!project) return;
  parameterAt(project, position);
  for (const entryPoint of project.entryPoints) {
    try {
      const { argv } = buildArgv(entryPoint, { data: '; rm -rf ~', extra: '$(reboot)' });
      assert.ok(
        argv.every((arg) => typeof arg === 'string'),
        context,
      );
    } catch (error) {
      assert.ok(error instanceof CommandError, `${context}: ${String(error)}`);
    }
  }
}

test('random truncations and mutations of valid MLprojects never throw and give sane ranges', () => {
  for (let seed = 1; seed <= 1500; seed++) {
    const next = random(seed);
    let text = seed % 2 === 0 ? REFERENCE_MLPROJECT : RICH_MLPROJECT;
    const rounds = 1 + Math.floor(next() * 4);
    for (let round = 0; round < rounds; round++) text = mutate(text, next);

    exerciseEverything(text, next, `seed ${seed}: ${JSON.stringify(text)}`);
  }
});

test('the unmutated fuzz seeds are themselves clean', () => {
  assert.deepEqual(parseMlproject(RICH_MLPROJECT).diagnostics, []);
  assert.deepEqual(parseMlproject(REFERENCE_MLPROJECT).diagnostics, []);
});

test('texts that are not YAML at all are diagnosed without throwing', () => {
  const texts = [
    '\0\0\0',
    '{{{{',
    ']]]',
    '"',
    "'",
    '- - - -',
    ':\n:\n:',
    '*x',
    '&a *a',
    '!!binary x',
    '\ufeffname: x',
    '\t\tname: x',
    'a'.repeat(100_000),
    '['.repeat(2000),
  ];

  for (const text of texts) {
    exerciseEverything(text, random(text.length), JSON.stringify(text.slice(0, 40)));
  }
});
