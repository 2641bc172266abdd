import '../../helpers/vscode';
import { created, extensionUri, type FakePanel } from './driftFakes';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Logger } from '../../../src/core/log';
import {
  findDriftPanel,
  savedDriftPanel,
  showDriftPanel,
  type DriftPanelHandlers,
} from '../../../src/vscode/panels/driftPanel';
import { churnReport, handReport, meta } from './driftFixture';

/**
 * The drift panel's host against a fake webview panel: what page it loads, that nothing is sent
 * before `ready`, that one check has one panel, and that the page's messages are checked before
 * the command's handlers see them.
 */

function recordingLogger() {
  const lines: string[] = [];
  const record = (level: string) => (message: string | Error) =>
    lines.push(`${level}: ${message instanceof Error ? message.message : message}`);
  const logger: Logger = {
    trace: record('trace'),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  return { logger, lines };
}

function recordingHandlers(work: () => Promise<void> = async () => undefined) {
  const calls: string[] = [];
  const handlers: DriftPanelHandlers = {
    exportHtml: async () => {
      calls.push('exportHtml');
      await work();
    },
    retrain: async () => {
      calls.push('retrain');
      await work();
    },
    openFile: async (side) => {
      calls.push(`openFile ${side}`);
      await work();
    },
  };
  return { handlers, calls };
}

/** Lets the host's handlers, which run asynchronously, finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

async function openPanel(
  t: { after(fn: () => unknown): void },
  overrides: Partial<ReturnType<typeof meta>> = {},
) {
  const { logger, lines } = recordingLogger();
  const { handlers, calls } = recordingHandlers();
  const handle = showDriftPanel(extensionUri, handReport(), meta(overrides), handlers, logger);
  t.after(() => handle.dispose());
  const panel = created[created.length - 1];
  return { handle, panel, lines, calls, logger };
}

const types = (panel: FakePanel) => panel.posted.map((m) => m.type);

test('the page loads only the drift bundle, under the nonce policy, from dist/webview', async (t) => {
  const { panel } = await openPanel(t, { checkId: 'page', title: 'Drift: <b>cur</b>' });

  const options = panel.webview.options as {
    enableScripts: boolean;
    localResourceRoots: Array<{ fsPath: string }>;
  };
  assert.equal(panel.viewType, 'modelFactory.driftPanel');
  assert.equal(options.enableScripts, true);
  assert.deepEqual(
    options.localResourceRoots.map((root) => root.fsPath),
    [path.join('/ext', 'dist', 'webview')],
  );
  assert.match(
    panel.webview.html,
    /<script nonce="[\w-]{32}" src="https:\/\/webview\.test\/ext\/dist\/webview\/drift\.js">/,
  );
  assert.match(
    panel.webview.html,
    /href="https:\/\/webview\.test\/ext\/dist\/webview\/drift\.css"/,
  );
  assert.match(panel.webview.html, /script-src &#39;nonce-[\w-]{32}&#39;/);
  assert.match(panel.webview.html, /<title>Drift: &lt;b&gt;cur&lt;\/b&gt;<\/title>/);
});

test('nothing is sent before the page is ready, then the report and its meta', async (t) => {
  const { panel } = await openPanel(t, { checkId: 'ready' });

  const before = panel.posted.length;
  panel.receive({ type: 'ready' });

  assert.equal(before, 0);
  assert.deepEqual(types(panel), ['report']);
  const message = panel.posted[0] as { report: { columns: unknown[] }; meta: { checkId: string } };
  assert.equal(message.report.columns.length, 3);
  assert.equal(message.meta.checkId, 'ready');
});

test('a hidden page gets nothing until it says ready again, and then the report anew', async (t) => {
  const { handle, panel } = await openPanel(t, { checkId: 'hidden' });
  panel.receive({ type: 'ready' });

  panel.hide();
  handle.update(handReport(), meta({ checkId: 'hidden', title: 'rerun' }));
  const whileHidden = panel.posted.length;
  panel.visible = true;
  panel.receive({ type: 'ready' });

  assert.equal(whileHidden, 1);
  assert.deepEqual(types(panel), ['report', 'report']);
  assert.equal((panel.posted[1].meta as { title: string }).title, 'rerun');
  assert.equal(panel.title, 'rerun');
});

test('showing the same check again reveals its panel and shows the new report there', async (t) => {
  const first = await openPanel(t, { checkId: 'same' });
  first.panel.receive({ type: 'ready' });
  const count = created.length;

  const again = showDriftPanel(
    extensionUri,
    await churnReport(),
    meta({ checkId: 'same' }),
    recordingHandlers().handlers,
  );

  assert.equal(created.length, count, 'no second panel');
  assert.equal(again, first.handle);
  assert.equal(first.panel.revealed, 1);
  assert.equal((first.panel.posted[1].report as { columns: unknown[] }).columns.length, 8);
});

test('checks that were not stored share a panel per current file, and others get their own', async (t) => {
  const { handlers } = recordingHandlers();
  const a = showDriftPanel(extensionUri, handReport(), meta({ checkId: null }), handlers);
  const b = showDriftPanel(extensionUri, handReport(), meta({ checkId: null }), handlers);
  const c = showDriftPanel(extensionUri, await churnReport(), meta({ checkId: null }), handlers);
  t.after(() => [a, c].forEach((handle) => handle.dispose()));

  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.equal(a.key, 'file:/work/data/cur.parquet');
});

test('a closed panel is forgotten, so the check opens a new one', async (t) => {
  const { handle, panel } = await openPanel(t, { checkId: 'closed' });

  panel.dispose();
  const again = showDriftPanel(
    extensionUri,
    handReport(),
    meta({ checkId: 'closed' }),
    recordingHandlers().handlers,
  );
  t.after(() => again.dispose());

  assert.equal(handle.isDisposed, true);
  assert.notEqual(again, handle);
  assert.equal(findDriftPanel('check:closed'), again);
});

test('a report that does not fit the protocol is refused before any panel opens', async () => {
  const count = created.length;
  const broken = { ...handReport(), dataset: { drift: 'yes' } };

  assert.throws(
    () => showDriftPanel(extensionUri, broken, meta(), recordingHandlers().handlers),
    /the drift report cannot be shown: report\.dataset\.drift/,
  );
  assert.equal(created.length, count);
});

test('each button runs its handler, with busy before and after', async (t) => {
  const { panel, calls } = await openPanel(t, { checkId: 'buttons' });
  panel.receive({ type: 'ready' });

  panel.receive({ type: 'exportHtml' });
  panel.receive({ type: 'openFile', side: 'reference' });
  panel.receive({ type: 'retrain' });
  await settle();

  assert.deepEqual(calls, ['exportHtml', 'openFile reference', 'retrain']);
  assert.deepEqual(
    panel.posted.slice(1).map((m) => `${m.action} ${m.busy}`),
    [
      'exportHtml true',
      'openFile true',
      'retrain true',
      'exportHtml false',
      'openFile false',
      'retrain false',
    ],
  );
});

test('retraining is refused when the check does not offer it, whatever the page asks', async (t) => {
  const { panel, calls, lines } = await openPanel(t, { checkId: 'noretrain', canRetrain: false });
  panel.receive({ type: 'ready' });

  panel.receive({ type: 'retrain' });
  await settle();

  assert.deepEqual(calls, []);
  assert.ok(lines.some((line) => /^warn: .*ignored retrain/.test(line)));
});

test('messages of an unknown kind or shape are logged and reach no handler', async (t) => {
  const { panel, calls, lines } = await openPanel(t, { checkId: 'unknown' });
  panel.receive({ type: 'ready' });

  panel.receive({ type: 'runShellCommand', command: 'rm -rf ~' });
  panel.receive({ type: 'openFile', side: '/etc/passwd' });
  panel.receive('exportHtml');
  await settle();

  assert.deepEqual(calls, []);
  const warnings = lines.filter((line) => line.startsWith('warn: Drift panel: ignored a message'));
  assert.equal(warnings.length, 3);
  assert.match(warnings[0], /"runShellCommand"/);
  assert.match(warnings[1], /side/);
});

test('a failing handler is logged and shown in the page, and a second click waits for the first', async (t) => {
  const { logger, lines } = recordingLogger();
  let finish: () => void = () => undefined;
  const { handlers, calls } = recordingHandlers(
    () =>
      new Promise<void>((_, reject) => {
        finish = () => reject(new Error('no folder to write to'));
      }),
  );
  const handle = showDriftPanel(
    extensionUri,
    handReport(),
    meta({ checkId: 'fails' }),
    handlers,
    logger,
  );
  t.after(() => handle.dispose());
  const panel = created[created.length - 1];
  panel.receive({ type: 'ready' });

  panel.receive({ type: 'exportHtml' });
  panel.receive({ type: 'exportHtml' });
  finish();
  await settle();

  assert.deepEqual(calls, ['exportHtml']);
  assert.deepEqual(
    panel.posted.slice(1).map((m) => m.type),
    ['busy', 'error', 'busy'],
  );
  assert.equal(panel.posted[2].message, 'no folder to write to');
  assert.ok(lines.includes('error: no folder to write to'));
});

test('the page’s own failures go to the log at their level', async (t) => {
  const { panel, lines } = await openPanel(t, { checkId: 'pagelog' });

  panel.receive({ type: 'report', level: 'error', message: 'handling report: TypeError' });

  assert.ok(lines.includes('error: Drift panel: handling report: TypeError'));
});

test('saved state names the check to restore, and anything else is not read', async () => {
  const view = { selected: null, filter: '', driftedOnly: false, scale: 'count' };

  assert.equal(
    savedDriftPanel({ kind: 'drift', checkId: 'c1', current: '/a.csv', view })?.checkId,
    'c1',
  );
  assert.equal(savedDriftPanel({ kind: 'run', runIds: [] }), undefined);
  assert.equal(savedDriftPanel(null), undefined);
});
