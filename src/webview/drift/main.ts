import 'uplot/dist/uPlot.min.css';
import '../common/base.css';
import './drift.css';
import type {
  DriftColumn,
  DriftHostMessage,
  DriftMeta,
  DriftReportJson,
  DriftViewState,
} from '../../protocol/drift';
import { append, button, clear, h, section } from '../common/dom';
import { onThemeChange } from '../common/theme';
import { ColumnChart } from './bars';
import { ErrorCurve } from './errorCurve';
import { listen, loadState, saveState, send } from './messaging';
import { orderColumns, pickSelected } from './model';
import * as blocks from './sections';
import { ColumnsTable } from './table';

/**
 * The drift panel: the verdict and the files at the top, then every column (drifted first,
 * filterable), the selected column's distributions and counts, the multivariate test and, when
 * the check had a target and a prediction, concept drift. The selection, the filter and the bar
 * scale survive the panel being hidden (vscode.getState), as the other panels' view state does.
 */

const view: DriftViewState = loadState()?.view ?? {
  selected: null,
  filter: '',
  driftedOnly: false,
  scale: 'count',
};
let shown: { report: DriftReportJson; meta: DriftMeta } | undefined;
let ordered: DriftColumn[] = [];

const app = document.getElementById('app')!;
const title = h('h1');
const notice = h('div');
const summary = h('div');
const actions = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Report actions' });
const detail = h('div');
const multivariateBox = h('div');
const conceptBox = h('div');
const conceptSection = section('Concept drift', conceptBox);
const table = new ColumnsTable(view, { select, changed: persist });
const chart = new ColumnChart();
const curve = new ErrorCurve();
clear(app);
append(
  app,
  title,
  notice,
  summary,
  actions,
  section('Columns', table.element),
  section('Selected column', detail),
  section('Multivariate drift', multivariateBox),
  conceptSection,
);

function persist(): void {
  if (!shown) return;
  const { report, meta } = shown;
  saveState({ kind: 'drift', checkId: meta.checkId, current: report.current.path, view });
}

function onReport(report: DriftReportJson, meta: DriftMeta): void {
  shown = { report, meta };
  ordered = orderColumns(report.columns);
  view.selected = pickSelected(ordered, view.selected)?.column ?? null;
  title.textContent = meta.title;
  document.title = meta.title;

  renderNotice(meta);
  clear(summary);
  append(
    summary,
    blocks.verdict(report),
    blocks.files(report, meta, (side) => send({ type: 'openFile', side })),
    blocks.notesList(report.notes),
  );
  renderActions(meta);
  table.setColumns(ordered);
  renderDetail();
  clear(multivariateBox);
  append(multivariateBox, blocks.multivariate(report.multivariate));
  renderConcept(report);
  persist();
}

function renderNotice(meta: DriftMeta): void {
  clear(notice);
  if (meta.stale) append(notice, h('div', { class: 'banner', role: 'alert' }, meta.stale));
}

function renderActions(meta: DriftMeta): void {
  clear(actions);
  append(
    actions,
    button('Export HTML report', () => send({ type: 'exportHtml' }), {
      class: 'primary',
      'data-action': 'exportHtml',
      title: 'Save this report as one HTML page, to share',
    }),
    meta.canRetrain
      ? button('Retrain on this data', () => send({ type: 'retrain' }), {
          'data-action': 'retrain',
          title: 'Run the project’s train entry point on the current file',
        })
      : null,
  );
}

function select(column: string): void {
  if (view.selected === column) return;
  view.selected = column;
  table.markSelected(column);
  renderDetail();
  persist();
}

function renderDetail(): void {
  clear(detail);
  const column = ordered.find((c) => c.column === view.selected);
  if (!column) {
    append(detail, h('p', { class: 'empty' }, 'The report has no columns.'));
    return;
  }
  append(detail, blocks.columnHeading(column));
  if (column.histogram) append(detail, scaleSwitch(), chart.element);
  else append(detail, h('p', { class: 'empty' }, noChartReason(column)));
  append(detail, blocks.sideCounts(column), blocks.notesList(column.notes));
  if (column.histogram) chart.show(column, view.scale);
}

function noChartReason(column: DriftColumn): string {
  if (column.kind === 'text') return 'Text columns are listed, not compared, so there is no chart.';
  return 'No values to draw on either side.';
}

/** Counts, or each side's share of its values: the shapes compare when the files differ in size. */
function scaleSwitch(): HTMLElement {
  const choice = (scale: DriftViewState['scale'], label: string) => {
    const element = button(label, () => {
      view.scale = scale;
      renderDetail();
      persist();
    });
    element.setAttribute('aria-pressed', String(view.scale === scale));
    return element;
  };
  return h(
    'div',
    { class: 'toolbar', role: 'group', 'aria-label': 'Bar heights' },
    choice('count', 'Counts'),
    choice('share', 'Share of each side'),
  );
}

function renderConcept(report: DriftReportJson): void {
  clear(conceptBox);
  const concept = report.concept;
  conceptSection.hidden = !concept;
  if (!concept) return;
  append(
    conceptBox,
    h('p', {}, `A ${concept.task} model, reference against current.`),
    blocks.conceptMetrics(concept),
    blocks.errorTest(concept),
    h('h3', {}, 'The error along the current file, and where each detector signalled drift'),
    curve.element,
    blocks.notesList(concept.notes),
  );
  curve.show(concept);
}

function setBusy(action: string, busy: boolean): void {
  const element = actions.querySelector(`[data-action="${action}"]`) as HTMLButtonElement | null;
  if (!element) return;
  element.disabled = busy;
  element.setAttribute('aria-busy', String(busy));
}

listen((message: DriftHostMessage) => {
  switch (message.type) {
    case 'report':
      return onReport(message.report, message.meta);
    case 'busy':
      return setBusy(message.action, message.busy);
    case 'error':
      if (shown) renderNotice(shown.meta);
      append(notice, h('div', { class: 'banner error', role: 'alert' }, message.message));
      return;
    default:
      return;
  }
});
onThemeChange(() => {
  renderDetail();
  if (shown?.report.concept) curve.show(shown.report.concept);
});
new ResizeObserver(() => chart.draw()).observe(chart.element);
