// `npm run test:vscode`: the extension-host suite in a desktop VS Code downloaded by
// @vscode/test-electron. It needs to reach Microsoft's download servers; where it cannot (as on
// this project's build machines), it says so and exits non-zero. The e2e suite (npm run
// test:e2e) covers the same ground in code-server from the npm registry.
import { runTests } from '@vscode/test-electron';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = '1.100.3';

async function main() {
  const workspace = await mkdtemp(join(tmpdir(), 'mf-vscode-'));
  try {
    await runTests({
      version: VERSION,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'test/integration/suite/index.cjs'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (
      /download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|fetch failed|socket/i.test(message)
    ) {
      console.error(
        `test:vscode: could not download VS Code ${VERSION} (${message}). This machine cannot ` +
          'reach the download servers; run `npm run test:e2e`, which uses code-server from the ' +
          'npm registry, instead.',
      );
    } else {
      console.error(`test:vscode: the extension-host suite failed: ${message}`);
    }
    process.exit(1);
  }
}

main();
