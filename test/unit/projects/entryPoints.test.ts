import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPythonEntryPoints, globToRegExp } from '../../../src/core/projects/entryPoints';

test('top-level train, fit, evaluate and eval functions are found, async ones too', () => {
  const text = `import numpy as np

def train_model(data):
    pass

async def fit(x):
    pass

def evaluate(model):
    def train_inner():
        pass

def eval_on(data): pass
def predict(x): pass
class Trainer:
    def train(self): pass
`;

  assert.deepEqual(findPythonEntryPoints(text), [
    { kind: 'train', line: 2, name: 'train_model' },
    { kind: 'train', line: 5, name: 'fit' },
    { kind: 'evaluate', line: 8, name: 'evaluate' },
    { kind: 'evaluate', line: 12, name: 'eval_on' },
  ]);
});

test('patterns from the settings decide which functions count', () => {
  const text = 'def run_experiment(): pass\ndef score_model(): pass\ndef train(): pass\n';

  const found = findPythonEntryPoints(text, { train: ['run_*'], evaluate: ['score_?odel'] });

  assert.deepEqual(found, [
    { kind: 'train', line: 0, name: 'run_experiment' },
    { kind: 'evaluate', line: 1, name: 'score_model' },
  ]);
});

test('functions inside strings are not entry points', () => {
  const text = 'DOC = """\ndef train():\n    pass\n"""\nx = \'def fit(): pass\'\n';

  assert.deepEqual(findPythonEntryPoints(text), []);
});

test('the main guard counts in a file that imports mlflow or model_factory, in either quote style', () => {
  const variants = [
    'import mlflow\n\nif __name__ == "__main__":\n    main()\n',
    "from mlflow import log_metric\n\nif __name__=='__main__' :\n    main()\n",
    'import os, model_factory as mf\n\nif (__name__ == "__main__"):\n    main()\n',
    'import os; from model_factory.tracking import run\n\nif "__main__" == __name__:  # go\n    main()\n',
    'def main():\n    import mlflow.sklearn\n\nif __name__ == "__main__":\n    main()\n',
  ];

  for (const text of variants) {
    assert.deepEqual(
      findPythonEntryPoints(text, undefined, 'src/train.py'),
      [
        {
          kind: 'train',
          line: text.split('\n').findIndex((l) => l.startsWith('if')),
          name: '__main__',
        },
      ],
      text,
    );
  }
});

test('the main guard does not count without an mlflow or model_factory import', () => {
  const variants = [
    'import numpy\n\nif __name__ == "__main__":\n    main()\n',
    '# import mlflow later\nif __name__ == "__main__":\n    main()\n',
    'x = 1  # maybe; import mlflow\nif __name__ == "__main__":\n    main()\n',
    '"""Logs with mlflow.\nimport mlflow\n"""\nif __name__ == "__main__":\n    main()\n',
    'print("import mlflow")\nif __name__ == "__main__":\n    main()\n',
    'import mlflow_utils\nimport my_mlflow\nif __name__ == "__main__":\n    main()\n',
  ];

  for (const text of variants) assert.deepEqual(findPythonEntryPoints(text), [], text);
});

test('a main guard that is indented or inside a string is not the script entry point', () => {
  const text =
    'import mlflow\ndef f():\n    if __name__ == "__main__":\n        pass\nS = """\nif __name__ == "__main__":\n"""\n';

  assert.deepEqual(findPythonEntryPoints(text), []);
});

test('the main guard of a file whose name starts with eval is an evaluate entry point', () => {
  const text = 'import mlflow\nif __name__ == "__main__":\n    main()\n';

  assert.equal(findPythonEntryPoints(text, undefined, '/p/evaluate.py')[0].kind, 'evaluate');
  assert.equal(findPythonEntryPoints(text, undefined, 'C:\\p\\eval_model.py')[0].kind, 'evaluate');
  assert.equal(findPythonEntryPoints(text, undefined, '/eval/train.py')[0].kind, 'train');
});

test('CRLF files give the same lines', () => {
  const text =
    'import mlflow\r\n\r\ndef train():\r\n    pass\r\nif __name__ == "__main__":\r\n    train()\r\n';

  assert.deepEqual(
    findPythonEntryPoints(text).map((found) => found.line),
    [2, 4],
  );
});

test('globs follow fnmatch: star, question mark and bracket sets, with everything else literal', () => {
  assert.ok(globToRegExp('train*').test('train_model'));
  assert.ok(!globToRegExp('train*').test('pretrain'));
  assert.ok(globToRegExp('fit_[!x]').test('fit_a'));
  assert.ok(!globToRegExp('fit_[!x]').test('fit_x'));
  assert.ok(globToRegExp('a.b(c)').test('a.b(c)'));
  assert.ok(!globToRegExp('a.b').test('axb'));
});

test('an invalid glob in the settings matches only its own text instead of throwing', () => {
  const text = 'def train(): pass\ndef z(): pass\n';

  const found = findPythonEntryPoints(text, { train: ['[z-a]', 'train*'], evaluate: [] });

  assert.deepEqual(found, [{ kind: 'train', line: 0, name: 'train' }]);
});
