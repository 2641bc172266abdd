import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { allCommandIds, ContainerId, SettingId, ViewId } from '../../src/vscode/ids';

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));

test('every command in package.json has an id constant, and every constant is declared', () => {
  const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();

  assert.deepEqual(declared, [...allCommandIds].sort());
  assert.equal(new Set(allCommandIds).size, allCommandIds.length, 'a command id is used twice');
});

test('the three views live in the Model Factory container and each has welcome content', () => {
  const views = manifest.contributes.views[ContainerId].map((v: { id: string }) => v.id);
  const welcomed = manifest.contributes.viewsWelcome.map((w: { view: string }) => w.view);

  assert.deepEqual(views, Object.values(ViewId));
  assert.deepEqual(welcomed.sort(), Object.values(ViewId).sort());
  assert.equal(manifest.contributes.viewsContainers.activitybar[0].id, ContainerId);
});

test('every setting constant is declared with a scope and a description', () => {
  const properties = manifest.contributes.configuration.properties;

  for (const id of Object.values(SettingId)) {
    assert.ok(properties[id], `${id} is not in package.json`);
    assert.ok(properties[id].scope, `${id} has no scope`);
    assert.ok(
      properties[id].markdownDescription ?? properties[id].description,
      `${id} undescribed`,
    );
  }
});

test('activation never uses "*" and covers the views, MLproject and every command', () => {
  const events: string[] = manifest.activationEvents;

  assert.ok(!events.includes('*') && !events.includes('onStartupFinished'));
  assert.ok(events.includes('workspaceContains:MLproject'));
  for (const view of Object.values(ViewId)) assert.ok(events.includes(`onView:${view}`));
  for (const command of allCommandIds) assert.ok(events.includes(`onCommand:${command}`));
});

test('welcome and walkthrough buttons only name commands that package.json declares', () => {
  const declared = new Set<string>(allCommandIds);
  const texts: string[] = [
    ...manifest.contributes.viewsWelcome.map((w: { contents: string }) => w.contents),
    ...manifest.contributes.walkthroughs.flatMap((w: { steps: { description: string }[] }) =>
      w.steps.map((step) => step.description),
    ),
  ];
  const named = texts.flatMap((text) => [...text.matchAll(/command:([\w.]+)/g)].map((m) => m[1]));

  assert.ok(named.length > 0);
  for (const command of named) assert.ok(declared.has(command), `${command} is not declared`);
});
