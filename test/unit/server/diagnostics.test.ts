import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticsScheduler } from '../../../src/server/diagnostics';

test('a burst of changes publishes a document once, 200 ms after the last one', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const published: string[] = [];
  const scheduler = new DiagnosticsScheduler(200, (uri) => published.push(uri));

  scheduler.schedule('file:///a');
  t.mock.timers.tick(150);
  scheduler.schedule('file:///a');
  scheduler.schedule('file:///b');
  t.mock.timers.tick(199);
  const beforePause = [...published];
  t.mock.timers.tick(1);

  assert.deepEqual(beforePause, []);
  assert.deepEqual(published, ['file:///a', 'file:///b']);
});

test('a closed document is not published after all', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const published: string[] = [];
  const scheduler = new DiagnosticsScheduler(200, (uri) => published.push(uri));

  scheduler.schedule('file:///a');
  scheduler.cancel('file:///a');
  t.mock.timers.tick(1000);

  assert.deepEqual(published, []);
});
