import 'uplot/dist/uPlot.min.css';
import '../common/base.css';
import type { HostMessage, RunView } from '../../protocol/panels';
import { ArtifactTree } from '../common/artifacts';
import { ChartGrid, defaultChartState, type ChartViewState } from '../common/charts';
import { append, button, clear, h, keyValueTable, section } from '../common/dom';
import { formatDuration, formatNumber, formatTime } from '../common/format';
import { gridKeys } from '../common/keys';
import { listen, loadState, saveState, send } from '../common/messaging';
import { onThemeChange, runColor } from '../common/theme';

/**
 * The run panel: header, charts, parameters, tags, datasets and artifacts of one run. The host
 * sends the run on `ready` and again while it changes; the charts ask for their own series.
 */

const saved = loadState();
const chartState: ChartViewState = { ...defaultChartState(), ...(saved?.view as object) };
let run: RunView | undefined;
let runId = saved?.runIds?.[0];

const app = document.getElementById('app')!;
const header = h('header');
const banner = h('div');
const charts = new ChartGrid(
  {
    runIds: () => (runId ? [runId] : []),
    label: () => run?.name || 'run',
    color: () => runColor(0),
  },
  chartState,
  persist,
);
const details = h('div');
const artifacts = new ArtifactTree();
clear(app);
append(
  app,
  header,
  banner,
  section('Metrics', charts.element),
  details,
  section('Artifacts', artifacts.element),
);

function persist(): void {
  const server = run?.server?.url;
  saveState({
    kind: 'run',
    ...(runId ? { runIds: [runId] } : {}),
    ...(server ? { server } : {}),
    view: { ...chartState },
  });
}

/** Sections are rebuilt only when what they show changed, so focus and scroll stay put. */
const shown = new Map<string, string>();
function renderOnce(name: string, value: unknown, render: () => void): void {
  const key = JSON.stringify(value);
  if (shown.get(name) === key) return;
  shown.set(name, key);
  render();
}

function onRun(next: RunView): void {
  const first = run === undefined;
  run = next;
  runId = next.runId;
  persist();
  renderOnce('header', headerData(next), () => renderHeader(next));
  renderOnce('details', [next.params, next.tags, next.systemTags, next.inputs], () =>
    renderDetails(next),
  );
  charts.setKeys(next.metrics.map((m) => m.key));
  if (first) artifacts.load('');
}

function headerData(r: RunView) {
  const { params: _p, tags: _t, systemTags: _s, inputs: _i, metrics: _m, ...rest } = r;
  return rest;
}

function renderHeader(r: RunView): void {
  clear(header);
  const end = r.endTime ?? (r.status === 'RUNNING' ? Date.now() : null);
  const duration = r.startTime !== null && end !== null ? end - r.startTime : null;
  append(
    header,
    h(
      'h1',
      {},
      r.name || r.runId,
      h('span', { class: `badge ${r.status}` }, r.status.toLowerCase()),
    ),
    h(
      'div',
      { class: 'meta' },
      h('span', {}, `Experiment ${r.experiment.name}`),
      h('span', {}, `Started ${formatTime(r.startTime)}`),
      h('span', {}, `Duration ${formatDuration(duration)}`),
      r.user ? h('span', {}, `By ${r.user}`) : null,
      h('span', {}, `Run ${r.runId}`),
      r.server ? h('span', {}, `On ${r.server.name} (${r.server.url})`) : null,
    ),
    sourceLine(r),
  );
  if (r.parent) {
    const parent = r.parent;
    append(
      header,
      h(
        'div',
        { class: 'meta' },
        'Child of ',
        button(parent.name || parent.runId, () => send({ type: 'openRun', runId: parent.runId }), {
          class: 'link',
        }),
      ),
    );
  }
}

function sourceLine(r: RunView): HTMLElement | null {
  const source = r.source;
  if (!source) return null;
  const name = source.openable
    ? button(source.name, () => send({ type: 'openSource' }), {
        class: 'link',
        title: source.commit ? `Open at commit ${source.commit}` : 'Open the source file',
      })
    : h('span', {}, source.name);
  return h(
    'div',
    { class: 'meta' },
    h('span', {}, 'Source ', name),
    source.entryPoint ? h('span', {}, `Entry point ${source.entryPoint}`) : null,
    source.commit
      ? h(
          'span',
          { title: source.commit },
          `Commit ${source.commit.slice(0, 10)}${source.dirty ? ' (uncommitted changes)' : ''}`,
        )
      : null,
    source.branch ? h('span', {}, `Branch ${source.branch}`) : null,
  );
}

function renderDetails(r: RunView): void {
  clear(details);
  const tables = [
    keyValueTable(r.params, 'No parameters logged.'),
    keyValueTable(r.tags, 'No tags.'),
  ];
  for (const table of tables) if (table instanceof HTMLTableElement) gridKeys(table);
  const system = h(
    'details',
    {},
    h('summary', {}, `MLflow tags (${r.systemTags.length})`),
    keyValueTable(r.systemTags, 'None.'),
  );
  append(
    details,
    h(
      'div',
      { class: 'two' },
      section('Parameters', tables[0]),
      section('Tags', tables[1], system),
    ),
    section('Datasets', datasetsTable(r)),
    section('Latest metrics', latestTable(r)),
  );
}

function datasetsTable(r: RunView): HTMLElement {
  if (r.inputs.length === 0) return h('p', { class: 'empty' }, 'No dataset inputs logged.');
  const body = h('tbody');
  for (const input of r.inputs) {
    append(
      body,
      h(
        'tr',
        {},
        h('td', {}, input.name),
        h('td', {}, input.context ?? ''),
        h('td', {}, input.source),
        h('td', { class: 'number' }, input.rows === undefined ? '' : formatNumber(input.rows)),
        h('td', { title: input.digest }, input.digest.slice(0, 12)),
      ),
    );
  }
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      ...['Name', 'Context', 'Source', 'Rows', 'Digest'].map((c) => h('th', { scope: 'col' }, c)),
    ),
  );
  const table = h('table', { class: 'grid' }, head, body);
  gridKeys(table);
  return table;
}

function latestTable(r: RunView): HTMLElement {
  if (r.metrics.length === 0) return h('p', { class: 'empty' }, 'No metrics logged yet.');
  const body = h('tbody');
  for (const m of r.metrics) {
    append(
      body,
      h(
        'tr',
        {},
        h('td', {}, m.key),
        h('td', { class: 'number' }, formatNumber(m.value)),
        h('td', { class: 'number' }, String(m.step)),
      ),
    );
  }
  const head = h(
    'thead',
    {},
    h('tr', {}, ...['Metric', 'Latest', 'Step'].map((c) => h('th', { scope: 'col' }, c))),
  );
  const table = h('table', { class: 'grid' }, head, body);
  gridKeys(table);
  return table;
}

function showBanner(message: string, kind: 'warning' | 'error'): void {
  clear(banner);
  append(
    banner,
    h('div', { class: `banner ${kind === 'error' ? 'error' : ''}`, role: 'alert' }, message),
  );
}

listen((message: HostMessage) => {
  switch (message.type) {
    case 'run':
      if (!message.run.deleted) clear(banner);
      return onRun(message.run);
    case 'series':
      return charts.onSeries(message);
    case 'metricsChanged':
      return charts.refresh(message.keys);
    case 'artifacts':
      return artifacts.onListing(message);
    case 'preview':
      return artifacts.onPreview(message);
    case 'gone':
      return showBanner(message.message, 'warning');
    case 'error':
      return showBanner(message.message, 'error');
    default:
      return;
  }
});
onThemeChange(() => charts.redraw());
