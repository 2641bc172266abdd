// Panels benchmark (issue: run, compare and model version panels). Prints figures and ratios;
// nothing is asserted.
// 1. "Open run panel" to the first chart drawn, for a run whose metric has 1,000,000 points: the
//    real run page bundle loads in headless Chromium, under the panels' content security policy,
//    and its requests are answered by the code the panel host runs (SeriesSource: the history's
//    tiles or the history read whole, LTTB thinning, the message), in a worker thread as
//    VS Code's extension host is a process apart from the page (bench/panelsHost.ts). Only
//    VS Code's own message passing is missing. Compared, in the same run: the same history with
//    a NaN (no tiles stand for it, so it is read whole), and a host that posts the whole series.
// 2. Bytes posted for that chart, by chart width and by series length.
// Run: npm run bench:panels (it builds dist/webview first)
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { chromium } from 'playwright-core';
import { panelHtml } from '../src/vscode/panels/html';
import type { FromHost, Scenario, ToHost } from './panelsHost';

const ORIGIN = 'http://panel.bench';
const LENGTHS = (process.env.MF_BENCH_LENGTHS ?? '10000,100000,1000000').split(',').map(Number);
const root = path.join(__dirname, '..', 'dist', 'webview');
const debug = Boolean(process.env.MF_BENCH_DEBUG);

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

/** Opens the run page in a fresh browser and times it to its first chart drawn. */
async function openPanel(worker: Worker, runId: string, scenario: Scenario) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await servePage(page);
    let bytes = 0;
    let started = 0;
    let drawn: () => void;
    const done = new Promise<void>((resolve) => (drawn = resolve));
    const onHost = (message: FromHost) => {
      if (message.type !== 'post') return;
      if (message.series) bytes += Buffer.byteLength(message.json);
      void page.evaluate((m) => window.postMessage(JSON.parse(m), '*'), message.json);
    };
    worker.on('message', onHost);
    await page.exposeFunction('benchHost', (message: { type: string }) => {
      if (debug)
        console.log(`page sent ${message.type} at ${(performance.now() - started).toFixed(0)} ms`);
      if (message.type === 'drawn') drawn();
      else worker.postMessage({ type: 'page', message } satisfies ToHost);
    });
    await page.addInitScript(INIT_SCRIPT);
    started = performance.now();
    worker.postMessage({ type: 'open', scenario, runId } satisfies ToHost);
    await page.goto(`${ORIGIN}/`);
    await done;
    const ms = performance.now() - started;
    worker.off('message', onHost);
    return { ms, bytes };
  } finally {
    await browser.close();
  }
}

async function servePage(page: import('playwright-core').Page) {
  const html = panelHtml({
    title: 'bench',
    cspSource: ORIGIN,
    scriptUri: `${ORIGIN}/run.js`,
    styleUri: `${ORIGIN}/run.css`,
    nonce: 'bench',
  });
  if (debug) page.on('pageerror', (e) => console.log('page error:', e.message));
  await page.route(`${ORIGIN}/**`, (route) => {
    const file = new URL(route.request().url()).pathname;
    if (file === '/') return route.fulfill({ contentType: 'text/html', body: html });
    return route.fulfill({ body: readFileSync(path.join(root, file)) });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  // A worker does not inherit tsx's loader: it registers it before loading the host's source.
  const hostFile = JSON.stringify(path.join(__dirname, 'panelsHost.ts'));
  const worker = new Worker(`require('tsx/cjs'); require(${hostFile});`, {
    eval: true,
    workerData: { lengths: LENGTHS },
  });
  worker.on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  const [stored] = (await once(worker, 'message')) as [Extract<FromHost, { type: 'stored' }>];
  const big = stored.runIds[stored.runIds.length - 1][1];

  // The first browser of a run starts slower; its figure is dropped. Then each case three
  // times, alternating, and their medians.
  await openPanel(worker, big, 'panel');
  const cases = {
    tiled: { runId: big, scenario: 'panel' },
    gappy: { runId: stored.gappy, scenario: 'panel' },
  } as const;
  const rounds: Record<keyof typeof cases, number[]> = { tiled: [], gappy: [] };
  let bytes = 0;
  for (let round = 0; round < 3; round++) {
    for (const [name, { runId, scenario }] of Object.entries(cases)) {
      const result = await openPanel(worker, runId, scenario);
      rounds[name as keyof typeof cases].push(result.ms);
      if (name === 'tiled') bytes = result.bytes;
    }
  }
  const slow = await openPanel(worker, big, 'whole');
  worker.postMessage({ type: 'report' } satisfies ToHost);
  await once(worker, 'message');

  const fast = median(rounds.tiled);
  const list = (name: keyof typeof cases) => rounds[name].map((ms) => ms.toFixed(0)).join(', ');
  console.log(
    `open run panel → first chart, 1,000,000-point metric: ${fast.toFixed(0)} ms, ` +
      `${(bytes / 1024).toFixed(1)} KiB posted (goal: under 500 ms); median of ${list('tiled')}`,
  );
  console.log(
    `the same history with a NaN, which has no tiles and is read whole: ` +
      `${median(rounds.gappy).toFixed(0)} ms (median of ${list('gappy')})`,
  );
  console.log(
    `baseline, the whole series posted: ${slow.ms.toFixed(0)} ms, ` +
      `${(slow.bytes / 1024 / 1024).toFixed(1)} MiB posted; ` +
      `ratio ${(fast / slow.ms).toFixed(2)} in time, ${(bytes / slow.bytes).toFixed(4)} in bytes`,
  );
  worker.postMessage({ type: 'close' } satisfies ToHost);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
