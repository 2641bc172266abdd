// The panel host's side of bench/panels.ts, in a worker thread: the store, the series code the
// run panel runs, and the whole-series baseline. In VS Code the extension host is a process of
// its own, so the page loads while the host reads; with both in one thread the page's loading
// would wait for every read, which is not what users see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { RunStore } from '../src/core/store/store';
import type { HostMessage, SeriesRequest } from '../src/protocol/panels';
import { SeriesSource } from '../src/vscode/panels/seriesSource';
import { runView } from '../src/vscode/panels/views';

const debug = Boolean(process.env.MF_BENCH_DEBUG);

export type Scenario = 'panel' | 'whole';

/** Messages from the main thread. */
export type ToHost =
  | { type: 'open'; scenario: Scenario; runId: string }
  | { type: 'page'; message: { type: string } }
  | { type: 'report' }
  | { type: 'close' };

/** Messages to the main thread; `post` carries a message for the page, as JSON. */
export type FromHost =
  | { type: 'stored'; runIds: Array<[number, string]>; gappy: string }
  | { type: 'post'; json: string; series: boolean }
  | { type: 'done' };

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

/** What answers the page: the panel's own series code, or the whole-series baseline. */
interface Host {
  answer(request: SeriesRequest): HostMessage;
}

/** The panel host's code: tiles or the whole history, thinned to the chart's width. */
function panelHost(store: RunStore): Host {
  const source = new SeriesSource(() => store);
  return {
    answer: (request) => ({
      type: 'series',
      requestId: request.requestId,
      key: request.key,
      xAxis: request.x,
      series: source.points(request),
    }),
  };
}

/** The baseline: every point of the series, as a host without thinning would send it. */
function wholeHost(store: RunStore): Host {
  return {
    answer: (request) => {
      const series = store.readMetricSeries(request.runIds[0], request.key);
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
    },
  };
}

async function bytesTable(store: RunStore, runIds: Map<number, string>) {
  console.log('\nbytes of the series message, by series length and chart width:');
  for (const [length, runId] of runIds) {
    const cells: number[] = [];
    for (const width of [300, 600, 1200]) {
      const request = { requestId: 1, runIds: [runId], key: 'loss', width, x: 'step' as const };
      const message = panelHost(store).answer({ type: 'series', ...request });
      cells.push(Buffer.byteLength(JSON.stringify(message)));
    }
    console.log(
      `  ${length.toLocaleString().padStart(9)} points: ` +
        cells.map((b, i) => `width ${[300, 600, 1200][i]} ${(b / 1024).toFixed(1)} KiB`).join(', '),
    );
  }
}

const port = parentPort!;
const send = (message: FromHost) => port.postMessage(message);

async function main() {
  const lengths = workerData.lengths as number[];
  const dir = mkdtempSync(path.join(tmpdir(), 'mf-bench-panels-'));
  const store = await RunStore.open(dir, { idleMs: 0, snapshotBytes: Infinity });
  const runIds = new Map<number, string>();
  for (const length of lengths) {
    const { runId } = store.createRun({ experimentId: '0', runName: `run-${length}` }).info;
    await logPoints(store, runId, 'loss', length);
    runIds.set(length, runId);
  }
  // The same million points with one NaN: no tiles stand for it, so it is read whole.
  const gappy = store.createRun({ experimentId: '0', runName: 'gappy' }).info.runId;
  await logPoints(store, gappy, 'loss', lengths[lengths.length - 1]);
  store.logMetric(gappy, { key: 'loss', value: NaN, timestamp: 1, step: 500_000 });
  send({ type: 'stored', runIds: [...runIds], gappy });

  let host: Host | undefined;
  let runId = '';
  let opened = 0;
  port.on('message', async (message: ToHost) => {
    if (message.type === 'open') {
      runId = message.runId;
      host = message.scenario === 'whole' ? wholeHost(store) : panelHost(store);
      opened = performance.now();
    } else if (message.type === 'page') {
      const at = performance.now() - opened;
      await answerPage(store, host!, runId, message.message);
      if (debug) {
        const done = performance.now() - opened;
        console.log(
          `host: ${message.message.type} at ${at.toFixed(0)}, answered ${done.toFixed(0)}`,
        );
      }
    } else if (message.type === 'report') {
      await hostAlone(store, runIds.get(lengths[lengths.length - 1])!, 'from its tiles');
      await hostAlone(store, gappy, 'read whole, as one with a NaN is');
      await bytesTable(store, runIds);
      send({ type: 'done' });
    } else {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      port.close();
    }
  });
}

async function answerPage(store: RunStore, host: Host, runId: string, message: { type: string }) {
  let reply: HostMessage | undefined;
  if (message.type === 'ready') reply = { type: 'run', run: runView(store, runId, []) };
  if (message.type === 'series') reply = host.answer(message as SeriesRequest);
  if (reply) send({ type: 'post', json: JSON.stringify(reply), series: reply.type === 'series' });
}

async function hostAlone(store: RunStore, runId: string, how: string) {
  const started = performance.now();
  panelHost(store).answer({
    type: 'series',
    requestId: 0,
    runIds: [runId],
    key: 'loss',
    width: 600,
    x: 'step',
  });
  const ms = performance.now() - started;
  console.log(
    `host side alone, a 1,000,000-point history ${how}, thinned to 600: ${ms.toFixed(0)} ms`,
  );
}

void main();
