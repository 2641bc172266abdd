import 'uplot/dist/uPlot.min.css';
import '../common/base.css';
import type { CompareRun, HostMessage } from '../../protocol/panels';
import { ChartGrid, defaultChartState, type ChartViewState } from '../common/charts';
import { append, clear, h, section } from '../common/dom';
import { listen, loadState, saveState, send } from '../common/messaging';
import { legend, ParallelCoordinates, Scatter, type Axis, type PlotRun } from '../common/plots';
import { columnsOf, defaultTableState, RunsTable, type TableState } from '../common/runsTable';
import { onThemeChange, runColor } from '../common/theme';

/**
 * The compare panel: the runs table, overlaid metric charts, a scatter of any column against a
 * metric, and parallel coordinates of the parameters and a metric. Every run keeps one color,
 * by its place in the panel, in the table and in every chart.
 */

interface CompareState {
  table: TableState;
  charts: ChartViewState;
  scatter: { x?: string; y?: string };
  parallelMetric?: string;
}

const saved = loadState();
const state: CompareState = {
  table: defaultTableState(),
  charts: defaultChartState(),
  scatter: {},
  ...(saved?.view as Partial<CompareState> | undefined),
};
let runs: CompareRun[] = [];
let runIds = saved?.runIds ?? [];
const colorIndex = new Map<string, number>();

const color = (runId: string) => runColor(colorIndex.get(runId) ?? 0);
const label = (runId: string) => runs.find((r) => r.runId === runId)?.name || runId.slice(0, 7);

function persist(): void {
  saveState({ kind: 'compare', runIds, view: { ...state } });
}

const app = document.getElementById('app')!;
const title = h('h1');
const notice = h('div');
const table = new RunsTable(state.table, {
  color,
  openRun: (runId) => send({ type: 'openRun', runId }),
  changed: persist,
});
const charts = new ChartGrid(
  { runIds: () => runs.map((r) => r.runId), label, color },
  state.charts,
  persist,
);
const scatter = new Scatter();
const parallel = new ParallelCoordinates();
const scatterControls = h('div', { class: 'toolbar' });
const parallelControls = h('div', { class: 'toolbar' });
const legendBox = h('div');
clear(app);
append(
  app,
  title,
  notice,
  section('Runs', table.element),
  section('Metrics', legendBox, charts.element),
  h(
    'div',
    { class: 'two' },
    section('Scatter', scatterControls, scatter.element),
    section('Parallel coordinates', parallelControls, parallel.element),
  ),
);

function onCompare(next: CompareRun[], missing: string[]): void {
  runs = next;
  runIds = next.map((r) => r.runId);
  for (const run of next)
    if (!colorIndex.has(run.runId)) colorIndex.set(run.runId, colorIndex.size);
  title.textContent = `Compare ${next.length} runs`;
  clear(notice);
  if (missing.length > 0) {
    append(
      notice,
      h(
        'div',
        { class: 'banner', role: 'alert' },
        `${missing.length} of the runs compared are no longer in the store.`,
      ),
    );
  }
  table.setRuns(next);
  charts.setKeys(metricKeys());
  clear(legendBox);
  append(legendBox, legend(plotRuns()));
  renderPlots();
  persist();
}

function metricKeys(): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
}

function plotRuns(): PlotRun[] {
  return runs.map((r) => ({
    runId: r.runId,
    label: r.name || r.runId.slice(0, 7),
    color: color(r.runId),
  }));
}

/** A select over column ids; the choice is saved and the plots redrawn. */
function picker(
  labelText: string,
  options: Array<[string, string]>,
  value: string | undefined,
  onPick: (id: string) => void,
) {
  const select = h('select', { 'aria-label': labelText });
  for (const [id, name] of options)
    append(select, h('option', { value: id, selected: id === value }, name));
  select.addEventListener('change', () => onPick(select.value));
  return h('label', {}, labelText, select);
}

function renderPlots(): void {
  const columns = columnsOf(runs).filter((c) => c.group === 'param' || c.group === 'metric');
  const metrics = columns.filter((c) => c.group === 'metric');
  const options = columns.map((c): [string, string] => [c.id, `${c.group}: ${c.name}`]);
  const metricOptions = metrics.map((c): [string, string] => [c.id, c.name]);
  // By default the first parameter that differs between the runs: a constant one plots nothing.
  const varies = (c: (typeof columns)[number]) => new Set(runs.map((r) => c.text(r))).size > 1;
  state.scatter.x ??= columns.find((c) => c.group === 'param' && varies(c))?.id ?? metrics[0]?.id;
  state.scatter.y ??= metrics[0]?.id;
  state.parallelMetric ??= metrics[0]?.id;

  clear(scatterControls);
  append(
    scatterControls,
    picker(
      'X',
      options,
      state.scatter.x,
      (id) => ((state.scatter.x = id), renderPlots(), persist()),
    ),
    picker(
      'Y',
      metricOptions,
      state.scatter.y,
      (id) => ((state.scatter.y = id), renderPlots(), persist()),
    ),
  );
  clear(parallelControls);
  append(
    parallelControls,
    picker(
      'Metric',
      metricOptions,
      state.parallelMetric,
      (id) => ((state.parallelMetric = id), renderPlots(), persist()),
    ),
  );

  const axis = (id: string | undefined): Axis | undefined => {
    const column = columns.find((c) => c.id === id);
    return column && { name: column.name, values: runs.map((r) => column.value(r)) };
  };
  const x = axis(state.scatter.x);
  const y = axis(state.scatter.y);
  if (x && y) scatter.draw(plotRuns(), x, y);
  const params = columns
    .filter((c) => c.group === 'param')
    .slice(0, 12)
    .map((c) => axis(c.id)!);
  const metric = axis(state.parallelMetric);
  parallel.draw(plotRuns(), metric ? [...params, metric] : params);
}

listen((message: HostMessage) => {
  switch (message.type) {
    case 'compare':
      return onCompare(message.runs, message.missing);
    case 'series':
      return charts.onSeries(message);
    case 'metricsChanged':
      return charts.refresh(message.keys);
    case 'error':
    case 'gone':
      clear(notice);
      append(notice, h('div', { class: 'banner error', role: 'alert' }, message.message));
      return;
    default:
      return;
  }
});
onThemeChange(() => {
  charts.redraw();
  renderPlots();
});
new ResizeObserver(() => renderPlots()).observe(scatter.canvas);
