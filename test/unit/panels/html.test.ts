import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, makeNonce, panelHtml } from '../../../src/vscode/panels/html';

const page = (title: string) =>
  panelHtml({
    title,
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/dist/webview/run.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/dist/webview/run.css',
    nonce: 'n0nce',
  });

test('a hostile run name in the title is text, not markup', () => {
  const html = page('<img src=x onerror=alert(1)> (abc1234)');

  assert.ok(html.includes('<title>&lt;img src=x onerror=alert(1)&gt; (abc1234)</title>'));
  assert.ok(!html.includes('<img'));
  assert.equal(escapeHtml(`"'&<>`), '&quot;&#39;&amp;&lt;&gt;');
});

test('the policy allows only the nonce script and the bundle folder, nothing inline or eval', () => {
  const html = page('run');
  const attribute = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
  const csp = attribute.replace(/&#39;/g, "'");

  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-n0nce'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  assert.match(
    html,
    /<script nonce="n0nce" src="https:\/\/file\+\.vscode-resource[^"]*\/run\.js">/,
  );
  assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, the bundle');
});

test('each page gets a fresh nonce of 32 URL-safe characters', () => {
  const nonces = new Set(Array.from({ length: 100 }, makeNonce));

  assert.equal(nonces.size, 100);
  for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{32}$/);
});
