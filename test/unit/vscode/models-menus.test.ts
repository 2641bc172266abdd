import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelCommand } from '../../../src/vscode/models/ids';
import { modelNodes, versionNodes } from '../../../src/vscode/models/model';
import { openTempStore } from '../../helpers/tempStore';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));
const itemMenus: Array<{ command: string; when: string }> =
  manifest.contributes.menus['view/item/context'];

/** Evaluates the `view` and `viewItem` terms of a when clause joined by &&, as VS Code would. */
function shows(when: string, view: string, viewItem: string): boolean {
  return when.split('&&').every((term) => {
    const [, key, operator, value] = /^\s*(!?\w+)\s*(==|!=|=~)?\s*(.*?)\s*$/.exec(term)!;
    const actual = key === 'view' ? view : key === 'viewItem' ? viewItem : undefined;
    if (actual === undefined) return true;
    if (operator === '==') return actual === value;
    if (operator === '!=') return actual !== value;
    const [, pattern, flags] = /^\/(.*)\/(\w*)$/.exec(value)!;
    return new RegExp(pattern, flags).test(actual);
  });
}

/** The commands of the models view's context menu for an item with this context value. */
function menuOf(contextValue: string, view = 'modelFactory.models'): string[] {
  const commands = itemMenus
    .filter((menu) => shows(menu.when, view, contextValue))
    .map((menu) => menu.command);
  return [...new Set(commands)].sort();
}

test('alias, tag and delete entries show only on the items they apply to', async (t) => {
  const temp = await openTempStore();
  t.after(temp.dispose);
  temp.store.createRegisteredModel('iris');
  temp.store.createModelVersion({ name: 'iris', source: 'runs:/x/model' });
  temp.store.createModelVersion({ name: 'iris', source: 'runs:/x/model' });
  temp.store.setAlias('iris', 'champion', '2');
  const [aliased, plain] = versionNodes(temp.store, 'iris');
  const [model] = modelNodes(temp.store);

  const onAliased = menuOf(aliased.contextValue);
  const onPlain = menuOf(plain.contextValue);
  const onModel = menuOf(model.contextValue);

  assert.ok(
    onAliased.includes(ModelCommand.moveAlias) && onAliased.includes(ModelCommand.removeAlias),
  );
  assert.ok(
    !onPlain.includes(ModelCommand.moveAlias) && !onPlain.includes(ModelCommand.removeAlias),
  );
  for (const command of [ModelCommand.setAlias, ModelCommand.copyUri, ModelCommand.deleteVersion]) {
    assert.ok(onPlain.includes(command) && !onModel.includes(command), command);
  }
  for (const command of [ModelCommand.rename, ModelCommand.deleteModel]) {
    assert.ok(onModel.includes(command) && !onPlain.includes(command), command);
  }
  assert.ok(
    onModel.includes(ModelCommand.setTag) && onPlain.includes(ModelCommand.editDescription),
  );
  assert.ok(!onModel.includes(ModelCommand.deleteTag));
  assert.ok(menuOf('model.tagged').includes(ModelCommand.deleteTag));
});

test("Register Model Version shows on the Experiments view's live runs only", () => {
  const experiments = 'modelFactory.experiments';

  const onFinished = menuOf('run.finished', experiments);
  const onDeleted = menuOf('run.deleted', experiments);
  const onExperiment = menuOf('experiment', experiments);

  assert.ok(onFinished.includes(ModelCommand.registerModel));
  assert.ok(!onDeleted.includes(ModelCommand.registerModel));
  assert.ok(!onExperiment.includes(ModelCommand.registerModel));
});
