// The extension-host suite: runs inside a real VS Code started by runTest.mjs. Plain CommonJS,
// so it needs no build step; `vscode` is the real API here.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'model-factory.model-factory';

const tests = {
  async 'the extension activates'() {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  },

  async 'every command in package.json is registered'() {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const declared = extension.packageJSON.contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  },

  async 'the three views can be focused'() {
    for (const view of [
      'modelFactory.experiments',
      'modelFactory.models',
      'modelFactory.datasets',
    ]) {
      await vscode.commands.executeCommand(`${view}.focus`);
    }
  },
};

/** Called by VS Code's test runner; a rejection fails the run. */
async function run() {
  let failed = 0;
  for (const [name, test] of Object.entries(tests)) {
    try {
      await test();
      console.log(`ok - ${name}`);
    } catch (error) {
      failed += 1;
      console.error(`not ok - ${name}\n${error && error.stack}`);
    }
  }
  const passed = Object.keys(tests).length - failed;
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} extension-host tests failed`);
}

module.exports = { run };
