import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostMessage, PanelState, WebviewMessage } from '../../../src/protocol/panels';

const runId = 'a'.repeat(32);

test('the webview may ask for a series of known runs at a sane width', () => {
  const request = {
    type: 'series',
    requestId: 1,
    runIds: [runId],
    key: 'loss',
    width: 600,
    x: 'step',
  };

  assert.equal(WebviewMessage.safeParse(request).success, true);
  assert.equal(WebviewMessage.safeParse({ ...request, width: 0 }).success, false);
  assert.equal(WebviewMessage.safeParse({ ...request, width: 100_000 }).success, false);
  assert.equal(WebviewMessage.safeParse({ ...request, runIds: ['../../etc'] }).success, false);
  assert.equal(WebviewMessage.safeParse({ ...request, runIds: [] }).success, false);
  assert.equal(WebviewMessage.safeParse({ ...request, x: 'sideways' }).success, false);
  assert.equal(
    WebviewMessage.safeParse({ ...request, range: { min: 0, max: Infinity } }).success,
    false,
  );
});

test('messages of an unknown kind, or of the wrong shape, are refused', () => {
  for (const message of [
    null,
    'ready',
    { type: 'runShellCommand', command: 'rm -rf ~' },
    { type: 'openRun' },
    { type: 'openRun', runId: 42 },
    { type: 'export', format: 'exe', name: 'x', content: '' },
    { type: 'export', format: 'csv', name: '../../.bashrc', content: '' },
    { type: 'versionAction', action: 'deleteModel' },
    { type: 'report', level: 'fatal', message: 'x' },
  ]) {
    assert.equal(WebviewMessage.safeParse(message).success, false, JSON.stringify(message));
  }
});

test('the host sends series with nulls for gaps, and nothing else that is not a number', () => {
  const series = { runId, x: [0, 1], y: [0.5, null], total: 2, extent: { min: 0, max: 1 } };
  const message = { type: 'series', requestId: 3, key: 'loss', xAxis: 'step', series: [series] };

  assert.equal(HostMessage.safeParse(message).success, true);
  assert.equal(
    HostMessage.safeParse({ ...message, series: [{ ...series, y: ['NaN'] }] }).success,
    false,
  );
  assert.equal(HostMessage.safeParse({ type: 'gone' }).success, false);
});

test('saved panel state is read back only in its own shape', () => {
  assert.equal(PanelState.safeParse({ kind: 'run', runIds: [runId] }).success, true);
  assert.equal(PanelState.safeParse({ kind: 'shell', runIds: [runId] }).success, false);
  assert.equal(PanelState.safeParse({ kind: 'compare', runIds: ['x'] }).success, false);
  assert.equal(PanelState.safeParse(undefined).success, false);
});
