import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import {
  diagnosticsFor,
  isMlprojectUri,
  mlprojectCompletions,
  mlprojectHover,
  mlprojectLenses,
  mlprojectParameterAt,
  pythonLenses,
  readPatterns,
} from '../../../src/server/analysis';
import { REFERENCE_MLPROJECT, cursor, rangeOf } from '../projects/documents';

const PROJECT_URI = 'file:///work/churn/MLproject';
const SCRIPT_URI = 'file:///work/churn/train.py';

const BROKEN = `name: churn
entry_points:
  train:
    parameters:
      alpha: {type: flaot, default: 0.1}
  evaluate:
    parameters: {model: path}
`;

test('a broken MLproject gives LSP diagnostics at the parser ranges, as errors from Model Factory', () => {
  const diagnostics = diagnosticsFor(BROKEN);

  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range, d.severity, d.source]),
    [
      ['unknown-type', rangeOf(BROKEN, 'flaot'), DiagnosticSeverity.Error, 'Model Factory'],
      ['missing-command', rangeOf(BROKEN, 'train'), DiagnosticSeverity.Error, 'Model Factory'],
      ['missing-command', rangeOf(BROKEN, 'evaluate'), DiagnosticSeverity.Error, 'Model Factory'],
    ],
  );
  assert.match(diagnostics[0].message, /Unknown parameter type 'flaot'/);
});

test('every entry point gets "▶ Run" and "▶ Run with parameters…" on its name', () => {
  const lenses = mlprojectLenses(PROJECT_URI, BROKEN);

  assert.deepEqual(
    lenses.map((lens) => [lens.range, lens.command?.title, lens.command?.command]),
    [
      [rangeOf(BROKEN, 'train'), '▶ Run', 'modelFactory.launch'],
      [rangeOf(BROKEN, 'train'), '▶ Run with parameters…', 'modelFactory.launch'],
      [rangeOf(BROKEN, 'evaluate'), '▶ Run', 'modelFactory.launch'],
      [rangeOf(BROKEN, 'evaluate'), '▶ Run with parameters…', 'modelFactory.launch'],
    ],
  );
  assert.deepEqual(
    lenses.map((lens) => lens.command?.arguments),
    [
      [{ kind: 'train', uri: PROJECT_URI, entryPoint: 'train' }],
      [{ kind: 'train', uri: PROJECT_URI, entryPoint: 'train', ask: true }],
      [{ kind: 'evaluate', uri: PROJECT_URI, entryPoint: 'evaluate' }],
      [{ kind: 'evaluate', uri: PROJECT_URI, entryPoint: 'evaluate', ask: true }],
    ],
  );
});

test('an entry point named other than eval… is launched as a training run', () => {
  const kinds = mlprojectLenses(PROJECT_URI, REFERENCE_MLPROJECT).map(
    (lens) => lens.command?.arguments?.[0].kind,
  );

  assert.deepEqual(kinds, ['train', 'train', 'train', 'train']);
});

test('text that is not an MLproject at all gives no lenses and no exception', () => {
  for (const text of ['', '- a\n- b', ':\n  :\t{[', 'entry_points: [\n  "a', '\u0000\uffff']) {
    assert.deepEqual(mlprojectLenses(PROJECT_URI, text), []);
    assert.ok(Array.isArray(diagnosticsFor(text)));
  }
});

test('Python files get "▶ Train" and "▶ Evaluate" above matching defs and the tracked main guard', () => {
  const text = [
    'import mlflow',
    '',
    'def fit_model(x):',
    '    pass',
    '',
    'def evaluate(model):',
    '    pass',
    '',
    'def helper():',
    '    pass',
    '',
    'if __name__ == "__main__":',
    '    fit_model(1)',
  ].join('\n');

  const lenses = pythonLenses(SCRIPT_URI, text);

  assert.deepEqual(
    lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.arguments]),
    [
      [2, '▶ Train', [{ kind: 'train', uri: SCRIPT_URI }]],
      [5, '▶ Evaluate', [{ kind: 'evaluate', uri: SCRIPT_URI }]],
      [11, '▶ Train', [{ kind: 'train', uri: SCRIPT_URI }]],
    ],
  );
});

test('the patterns from the settings decide which functions get lenses', () => {
  const text = 'def learn():\n    pass\n\ndef train():\n    pass\n';
  const patterns = readPatterns({ trainPatterns: ['learn*'], evaluatePatterns: [] });

  const lines = pythonLenses(SCRIPT_URI, text, patterns).map((lens) => lens.range.start.line);

  assert.deepEqual(lines, [0]);
});

test('malformed pattern settings fall back to the defaults', () => {
  assert.deepEqual(readPatterns({ trainPatterns: 'train*', evaluatePatterns: [1] }), {
    train: ['train*', 'fit*'],
    evaluate: ['evaluate*', 'eval*'],
  });
  assert.deepEqual(readPatterns(null).train, ['train*', 'fit*']);
});

test('hover on a parameter shows its type and default; elsewhere nothing', () => {
  const { text, position } = cursor(
    REFERENCE_MLPROJECT.replace('regularization:', 'regul<|>arization:'),
  );

  const hover = mlprojectHover(text, position);

  assert.match(JSON.stringify(hover?.contents), /\*\*regularization\*\* · `float` · default `0.1`/);
  assert.deepEqual(hover?.range, rangeOf(text, 'regularization'));
  assert.equal(mlprojectHover(text, { line: 0, character: 0 }), undefined);
});

test('completion offers top-level keys that replace the partly typed word', () => {
  const items = mlprojectCompletions('name: x\nen', { line: 1, character: 2 });

  const entryPoints = items.find((item) => item.label === 'entry_points');
  assert.ok(entryPoints, 'entry_points is offered');
  assert.deepEqual(entryPoints.textEdit, {
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } },
    newText: 'entry_points:\n  ',
  });
});

test('MLproject files are recognised by name, with or without .yaml, in any folder', () => {
  assert.ok(isMlprojectUri('file:///a/b/MLproject'));
  assert.ok(isMlprojectUri('file:///a/MLproject.yaml'));
  assert.ok(!isMlprojectUri('file:///a/MLproject.py'));
  assert.ok(!isMlprojectUri('file:///a/notMLproject'));
});

test('the parameter at a position is found by its name and by a {placeholder} in a command', () => {
  const byName = cursor(REFERENCE_MLPROJECT.replace('regularization:', 'regul<|>arization:'));
  const byPlaceholder = cursor(REFERENCE_MLPROJECT.replace('{max_epochs}', '{max_<|>epochs}'));

  assert.deepEqual(mlprojectParameterAt(byName.text, byName.position), {
    entryPoint: 'main',
    parameter: 'regularization',
  });
  assert.deepEqual(mlprojectParameterAt(byPlaceholder.text, byPlaceholder.position), {
    entryPoint: 'main',
    parameter: 'max_epochs',
  });
  assert.equal(mlprojectParameterAt(REFERENCE_MLPROJECT, { line: 0, character: 0 }), null);
  assert.equal(mlprojectParameterAt('entry_points: [', { line: 0, character: 3 }), null);
});
