// Panels benchmark (issue: run, compare and model version panels). Prints figures and ratios;
// nothing is asserted.
// 1. "Open run panel" to the first chart drawn, for a run whose metric has 1,000,000 points: the
//    real run page bundle loads in headless Chromium, under the panels' content security policy,
//    and its requests are answered in this process by the same code the panel host runs (store
//    read, LTTB thinning, the message). Only VS Code's own message passing is missing. The
//    baseline, in the same run, answers with the whole series instead.
// 2. Bytes posted for that chart, by chart width and by series length.
// Run: npm run bench:panels (it builds dist/webview first)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { MetricSeries } from '../src/core/store/series';
import { RunStore } from '../src/core/store/store';
import type { HostMessage, SeriesRequest } from '../src/protocol/panels';
import { panelHtml } from '../src/vscode/panels/html';
import { seriesPoints } from '../src/vscode/panels/series';
import { runView } from '../src/vscode/panels/views';

const ORIGIN = 'http://panel.bench';
const LENGTHS = (process.env.MF_BENCH_LENGTHS ?? '10000,100000,1000000').split(',').map(Number);
const root = path.join(__dirname, '..', 'dist', 'webview');

async function logPoints(store: RunStore, runId: string, key: string, count: number) {
  for (let start = 0; start < count; start += 1000) {
    const metrics = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
      key,
      value: Math.exp(-(start + i) / (count / 5)) + Math.sin((start + i) / 97) * 0.05,
      timestamp: 1_700_000_000_000 + start + i,
      step: start + i,
    }));
    store.logBatch(runId, { metrics });
  }
}

/**
 * The page's side: a stand-in for acquireVsCodeApi that hands messages to this process, and a
 * watch for the first chart drawn (its summary line names its points right after uPlot drew).
 * A string, not a function: tsx would add helpers to a function that the page does not have.
 */
const INIT_SCRIPT = `
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.benchHost(m),
    getState: () => undefined,
    setState: () => undefined,
  });
  new MutationObserver(() => {
    if (document.querySelector('figure.chart[aria-label*="points"] canvas')) {
      window.benchHost({ type: 'drawn' });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-label'] });
`;

type Answer = (store: RunStore, request: SeriesRequest) => HostMessage;

/** The panel host's answer: the series read whole, then thinned to the chart's width. */
const thinned: Answer = (store, request) => ({
  type: 'series',
  requestId: request.requestId,
  key: request.key,
  xAxis: request.x,
  series: request.runIds.map((runId) =>
    seriesPoints(runId, store.readMetricSeries(runId, request.key), request, null),
  ),
});

/** The baseline: every point of the series, as a host without thinning would send it. */
const whole: Answer = (store, request) => {
  const series: MetricSeries = store.readMetricSeries(request.runIds[0], request.key);
  const n = series.length;
  return {
    type: 'series',
    requestId: request.requestId,
    key: request.key,
    xAxis: request.x,
    series: [
      {
        runId: request.runIds[0],
        x: Array.from(series.steps.subarray(0, n)),
        y: Array.from(series.values.subarray(0, n), (v) => (Number.isFinite(v) ? v : null)),
        total: n,
        extent: { min: series.steps[0], max: series.steps[n - 1] },
      },
    ],
  };
};

async function openPanel(page: Page, store: RunStore, runId: string, answer: Answer) {
  let bytes = 0;
  let drawn: () => void;
  const done = new Promise<void>((resolve) => (drawn = resolve));
  const post = (message: HostMessage) => {
    const json = JSON.stringify(message);
    if (message.type === 'series') bytes += Buffer.byteLength(json);
    return page.evaluate((m) => window.postMessage(JSON.parse(m), '*'), json);
  };
  if (process.env.MF_BENCH_DEBUG) {
    page.on('console', (m) => console.log('page:', m.text()));
    page.on('pageerror', (e) => console.log('page error:', e.message));
  }
  await page.exposeFunction('benchHost', async (message: { type: string }) => {
    if (process.env.MF_BENCH_DEBUG) console.log('host got', message.type);
    if (message.type === 'ready') await post({ type: 'run', run: runView(store, runId, []) });
    if (message.type === 'series') await post(answer(store, message as SeriesRequest));
    if (message.type === 'drawn') drawn();
  });
  await page.addInitScript(INIT_SCRIPT);
  const started = performance.now();
  await page.goto(`${ORIGIN}/`);
  await done;
  return { ms: performance.now() - started, bytes };
}

async function browserRun(store: RunStore, runId: string, answer: Answer) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const html = panelHtml({
      title: 'bench',
      cspSource: ORIGIN,
      scriptUri: `${ORIGIN}/run.js`,
      styleUri: `${ORIGIN}/run.css`,
      nonce: 'bench',
    });
    await page.route(`${ORIGIN}/**`, (route) => {
      const file = new URL(route.request().url()).pathname;
      if (file === '/') return route.fulfill({ contentType: 'text/html', body: html });
      return route.fulfill({ body: readFileSync(path.join(root, file)) });
    });
    return await openPanel(page, store, runId, answer);
  } finally {
    await browser.close();
  }
}

function bytesTable(store: RunStore, runIds: Map<number, string>) {
  console.log('\nbytes of the series message, by series length and chart width:');
  for (const [length, runId] of runIds) {
    const cells = [300, 600, 1200].map((width) => {
      const request = { requestId: 1, runIds: [runId], key: 'loss', width, x: 'step' as const };
      return Buffer.byteLength(JSON.stringify(thinned(store, { type: 'series', ...request })));
    });
    console.log(
      `  ${length.toLocaleString().padStart(9)} points: ` +
        cells.map((b, i) => `width ${[300, 600, 1200][i]} ${(b / 1024).toFixed(1)} KiB`).join(', '),
    );
  }
}

async function main() {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-bench-panels-'));
  const store = await RunStore.open(dir, { idleMs: 0, snapshotBytes: Infinity });
  try {
    const runIds = new Map<number, string>();
    for (const length of LENGTHS) {
      const { runId } = store.createRun({ experimentId: '0', runName: `run-${length}` }).info;
      await logPoints(store, runId, 'loss', length);
      runIds.set(length, runId);
    }
    const big = runIds.get(LENGTHS[LENGTHS.length - 1])!;

    const host = performance.now();
    thinned(store, {
      type: 'series',
      requestId: 0,
      runIds: [big],
      key: 'loss',
      width: 600,
      x: 'step',
    });
    console.log(
      `host side alone (read 1,000,000 points, thin to 600): ${(performance.now() - host).toFixed(0)} ms`,
    );

    const fast = await browserRun(store, big, thinned);
    const slow = await browserRun(store, big, whole);
    console.log(
      `open run panel → first chart, 1,000,000-point metric: ${fast.ms.toFixed(0)} ms, ` +
        `${(fast.bytes / 1024).toFixed(1)} KiB posted (goal: under 500 ms)`,
    );
    console.log(
      `baseline, the whole series posted: ${slow.ms.toFixed(0)} ms, ` +
        `${(slow.bytes / 1024 / 1024).toFixed(1)} MiB posted; ` +
        `ratio ${(fast.ms / slow.ms).toFixed(2)} in time, ${(fast.bytes / slow.bytes).toFixed(4)} in bytes`,
    );
    bytesTable(store, runIds);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
