// Views benchmark (issue: sidebar). Prints figures; nothing is asserted.
// 1. The first page of children of an experiment holding 10,000 runs, as the Experiments view
//    asks for it when the experiment is expanded (cold, then the median of 9 warm calls).
// 2. Tree refreshes while 10,000 metric points arrive over 10 seconds, one logMetric per
//    millisecond, through the same wiring as the view: store change events into a RefreshBatcher.
// Run: npm run bench:views
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RunStore } from '../src/core/store/store';
import { ExperimentsModel } from '../src/vscode/experiments/model';
import { RefreshBatcher } from '../src/vscode/views/batcher';
import type { ViewNode } from '../src/vscode/views/node';

async function firstPage(store: RunStore) {
  const experimentId = store.createExperiment('big');
  for (let r = 0; r < 10_000; r++) {
    const { runId } = store.createRun({ experimentId, startTime: r }).info;
    store.logBatch(runId, {
      metrics: [{ key: 'rmse', value: r / 10_000, timestamp: r, step: 0 }],
      params: [{ key: 'alpha', value: String(r % 7) }],
    });
    store.updateRun(runId, { status: 'FINISHED', endTime: r + 1000 });
  }
  const model = new ExperimentsModel(() => ({ state: 'open', store }));
  const experiment = model.childrenOf(undefined).find((n) => n.label === 'big') as ViewNode;

  let started = performance.now();
  const page = model.childrenOf(experiment);
  const cold = performance.now() - started;
  const warm: number[] = [];
  for (let i = 0; i < 9; i++) {
    started = performance.now();
    model.childrenOf(experiment);
    warm.push(performance.now() - started);
  }
  warm.sort((a, b) => a - b);
  console.log(
    `first page of an experiment of 10,000 runs: ${page.length} items, ` +
      `cold ${cold.toFixed(1)} ms, warm median ${warm[4].toFixed(1)} ms (goal: under 30 ms)`,
  );
}

async function refreshes(store: RunStore) {
  const { runId } = store.createRun({ experimentId: '0' }).info;
  let count = 0;
  const batcher = new RefreshBatcher(() => (count += 1));
  const subscription = store.onChange(() => batcher.schedule());
  const started = performance.now();
  for (let i = 0; i < 10_000; i++) {
    store.logMetric(runId, { key: 'loss', value: i, timestamp: i, step: i });
    const due = started + i;
    while (performance.now() < due) await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const seconds = (performance.now() - started) / 1000;
  subscription.dispose();
  batcher.dispose();
  console.log(
    `10,000 points over ${seconds.toFixed(1)} s: ${count} tree refreshes, ` +
      `${(count / seconds).toFixed(1)} a second (goal: a few a second)`,
  );
}

async function main() {
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-bench-views-'));
  const store = await RunStore.open(dir, { idleMs: 0 });
  try {
    await firstPage(store);
    await refreshes(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
