import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aliasMoveNote,
  aliasProblem,
  modelNameProblem,
  normalizeAlias,
  tagKeyProblem,
  tagValueProblem,
} from '../../../src/vscode/models/validation';
import { openTempStore } from '../../helpers/tempStore';

test('aliases of letters, digits, - and _ are accepted, with or without a leading @', () => {
  const accepted = ['champion', '@challenger', 'prod-2024_b', 'V', 'version1'];

  const problems = accepted.map(aliasProblem);

  assert.deepEqual(
    problems,
    accepted.map(() => undefined),
  );
  assert.equal(normalizeAlias(' @champion '), 'champion');
});

test("aliases that are empty, 'latest', v<number> or hold other characters are refused", () => {
  const refused = [
    '',
    '@',
    'latest',
    'Latest',
    'v3',
    'V12',
    'with space',
    'émile',
    'a/b',
    'x'.repeat(256),
  ];

  const problems = refused.map(aliasProblem);

  for (const [index, problem] of problems.entries()) {
    assert.ok(problem, `${JSON.stringify(refused[index])} was accepted`);
  }
  assert.match(aliasProblem('v3')!, /reserved/);
});

test('the input box refuses exactly the aliases the store refuses', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  temp.store.createRegisteredModel('iris');
  temp.store.createModelVersion({ name: 'iris', source: 'runs:/x/model' });
  const candidates = ['champion', 'latest', 'LATEST', 'v1', 'v1a', 'a b', 'a.b', 'a-b_c', '9'];

  const verdicts = candidates.map((alias) => {
    try {
      temp.store.setAlias('iris', alias, '1');
      return true;
    } catch {
      return false;
    }
  });

  assert.deepEqual(
    candidates.map((alias) => aliasProblem(alias) === undefined),
    verdicts,
  );
});

test('typing an alias that another version holds says it will move', () => {
  const aliases = [
    { alias: 'champion', version: '2' },
    { alias: 'challenger', version: '3' },
  ];

  assert.equal(aliasMoveNote('@champion', aliases, '3'), '@champion moves here from version 2');
  assert.equal(aliasMoveNote('challenger', aliases, '3'), undefined);
  assert.equal(aliasMoveNote('shadow', aliases, '3'), undefined);
});

test('model names that are empty, too long or taken are refused; the own name is not taken', () => {
  const taken = (name: string) => ['iris', 'wine'].includes(name);

  assert.match(modelNameProblem('   ', taken)!, /required/);
  assert.match(modelNameProblem('m'.repeat(257), taken)!, /at most 256 characters; this has 257/);
  assert.equal(modelNameProblem('m'.repeat(256), taken), undefined);
  assert.match(modelNameProblem('wine', taken, 'iris')!, /already exists/);
  assert.equal(modelNameProblem('iris', taken, 'iris'), undefined);
  assert.equal(modelNameProblem(' roses ', taken), undefined);
});

test('tag keys follow MLflow: present, at most 250 characters, no .. and no leading /', () => {
  assert.equal(tagKeyProblem('stage'), undefined);
  assert.ok(tagKeyProblem(''));
  assert.ok(tagKeyProblem('k'.repeat(251)));
  assert.ok(tagKeyProblem('a/../b'));
  assert.ok(tagKeyProblem('/abs'));
  assert.equal(tagValueProblem('v'.repeat(5000)), undefined);
  assert.ok(tagValueProblem('v'.repeat(5001)));
});
