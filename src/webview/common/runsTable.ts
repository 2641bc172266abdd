import type { CompareRun } from '../../protocol/panels';
import { append, button, clear, h } from './dom';
import { csv, formatDuration, formatNumber, formatTime } from './format';
import { gridKeys } from './keys';
import { send } from './messaging';

/**
 * The compare panel's runs table: a row per run, a column per attribute, parameter, metric and
 * tag. Sortable by any column, with columns pinned to the left, hidden by choice, or hidden
 * because every run has the same value there.
 */
export interface Column {
  id: string;
  group: 'run' | 'param' | 'metric' | 'tag';
  name: string;
  value(run: CompareRun): string | number | null;
  text(run: CompareRun): string;
}

export interface TableState {
  sort?: { id: string; descending: boolean };
  hideUnchanged: boolean;
  hidden: string[];
  pinned: string[];
}

export const defaultTableState = (): TableState => ({
  hideUnchanged: false,
  hidden: [],
  pinned: ['run:name'],
});

const number = (v: number | null) => formatNumber(v);

export function columnsOf(runs: CompareRun[]): Column[] {
  const keys = (pick: (run: CompareRun) => Record<string, unknown>) =>
    [...new Set(runs.flatMap((run) => Object.keys(pick(run))))].sort();
  return [
    {
      id: 'run:name',
      group: 'run',
      name: 'Run',
      value: (r) => r.name,
      text: (r) => r.name || r.runId,
    },
    {
      id: 'run:experiment',
      group: 'run',
      name: 'Experiment',
      value: (r) => r.experiment,
      text: (r) => r.experiment,
    },
    {
      id: 'run:status',
      group: 'run',
      name: 'Status',
      value: (r) => r.status,
      text: (r) => r.status,
    },
    {
      id: 'run:start',
      group: 'run',
      name: 'Started',
      value: (r) => r.startTime,
      text: (r) => formatTime(r.startTime),
    },
    {
      id: 'run:duration',
      group: 'run',
      name: 'Duration',
      value: (r) => r.durationMs,
      text: (r) => formatDuration(r.durationMs),
    },
    ...keys((r) => r.params).map((key): Column => ({
      id: `param:${key}`,
      group: 'param',
      name: key,
      value: (r) => paramValue(r.params[key]),
      text: (r) => r.params[key] ?? '',
    })),
    ...keys((r) => r.metrics).map((key): Column => ({
      id: `metric:${key}`,
      group: 'metric',
      name: key,
      value: (r) => r.metrics[key] ?? null,
      text: (r) => (key in r.metrics ? number(r.metrics[key]) : ''),
    })),
    ...keys((r) => r.tags).map((key): Column => ({
      id: `tag:${key}`,
      group: 'tag',
      name: key,
      value: (r) => r.tags[key] ?? null,
      text: (r) => r.tags[key] ?? '',
    })),
  ];
}

/** A parameter is text in MLflow; one that reads as a number sorts and plots as one. */
export function paramValue(value: string | undefined): string | number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? n : value;
}

/** Columns where every run shows the same text; the run's own name never counts as unchanged. */
export function unchangedColumns(columns: Column[], runs: CompareRun[]): Set<string> {
  const same = new Set<string>();
  if (runs.length < 2) return same;
  for (const column of columns) {
    if (column.group === 'run' && column.id !== 'run:experiment' && column.id !== 'run:status')
      continue;
    const first = column.text(runs[0]);
    if (runs.every((run) => column.text(run) === first)) same.add(column.id);
  }
  return same;
}

export function visibleColumns(columns: Column[], runs: CompareRun[], state: TableState): Column[] {
  const unchanged = state.hideUnchanged ? unchangedColumns(columns, runs) : new Set<string>();
  const shown = columns.filter(
    (c) => state.pinned.includes(c.id) || (!state.hidden.includes(c.id) && !unchanged.has(c.id)),
  );
  const pinned = state.pinned
    .map((id) => shown.find((c) => c.id === id))
    .filter((c) => c !== undefined);
  return [...pinned, ...shown.filter((c) => !state.pinned.includes(c.id))];
}

export function sortRuns(runs: CompareRun[], columns: Column[], state: TableState): CompareRun[] {
  const column = state.sort && columns.find((c) => c.id === state.sort!.id);
  if (!column) return runs;
  const direction = state.sort!.descending ? -1 : 1;
  return [...runs].sort((a, b) => direction * compareValues(column.value(a), column.value(b)));
}

/** Numbers before text, missing values last whatever the direction would say. */
function compareValues(a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a.localeCompare(b, undefined, { numeric: true });
}

export interface TableHooks {
  color(runId: string): string;
  openRun(runId: string): void;
  changed(): void;
}

export class RunsTable {
  readonly element = h('div');
  private readonly scroll = h('div', { class: 'table-scroll' });
  private readonly chooser = h('div', { class: 'columns-chooser', hidden: true });
  private runs: CompareRun[] = [];
  private columns: Column[] = [];

  constructor(
    private readonly state: TableState,
    private readonly hooks: TableHooks,
  ) {
    const hide = button('Hide unchanged columns', () => {
      this.state.hideUnchanged = !this.state.hideUnchanged;
      this.render();
    });
    hide.setAttribute('aria-pressed', String(state.hideUnchanged));
    hide.classList.add('hide-unchanged');
    const choose = button('Columns…', () => {
      this.chooser.hidden = !this.chooser.hidden;
      choose.setAttribute('aria-expanded', String(!this.chooser.hidden));
    });
    append(
      this.element,
      h(
        'div',
        { class: 'toolbar' },
        hide,
        choose,
        button('Export CSV', () => this.exportCsv()),
      ),
      this.chooser,
      this.scroll,
    );
  }

  setRuns(runs: CompareRun[]): void {
    this.runs = runs;
    this.columns = columnsOf(runs);
    this.render();
  }

  /** The visible table as CSV: what the user sees, in the order shown. */
  toCsv(): string {
    const shown = visibleColumns(this.columns, this.runs, this.state);
    const rows = sortRuns(this.runs, this.columns, this.state);
    return csv(
      shown.map((c) => (c.group === 'run' ? c.name : `${c.group}s.${c.name}`)),
      rows.map((run) => shown.map((c) => rawText(c, run))),
    );
  }

  private exportCsv(): void {
    send({ type: 'export', format: 'csv', name: 'compared-runs.csv', content: this.toCsv() });
  }

  private render(): void {
    const hide = this.element.querySelector('.hide-unchanged');
    hide?.setAttribute('aria-pressed', String(this.state.hideUnchanged));
    this.renderChooser();
    const shown = visibleColumns(this.columns, this.runs, this.state);
    const rows = sortRuns(this.runs, this.columns, this.state);
    const table = h('table', { class: 'grid', 'aria-rowcount': rows.length + 1 });
    const head = h('tr');
    for (const column of shown) append(head, this.headerCell(column));
    const body = h('tbody');
    for (const run of rows) {
      const row = h('tr', { 'data-run': run.runId });
      for (const column of shown) append(row, this.cell(column, run));
      append(body, row);
    }
    append(table, h('thead', {}, head), body);
    clear(this.scroll);
    append(this.scroll, table);
    gridKeys(table);
    this.stickPinned(table, shown);
    this.hooks.changed();
  }

  private headerCell(column: Column): HTMLTableCellElement {
    const sorted = this.state.sort?.id === column.id ? this.state.sort : undefined;
    const th = h('th', {
      scope: 'col',
      'aria-sort': sorted ? (sorted.descending ? 'descending' : 'ascending') : 'none',
      'data-column': column.id,
      class: this.state.pinned.includes(column.id) ? 'pinned' : undefined,
    });
    const label = column.group === 'run' ? column.name : `${column.name}`;
    const sort = button(
      `${label}${sorted ? (sorted.descending ? ' ↓' : ' ↑') : ''}`,
      () => {
        this.state.sort = { id: column.id, descending: sorted ? !sorted.descending : false };
        this.render();
      },
      {
        class: 'link',
        title: `Sort by ${column.group === 'run' ? '' : column.group + ' '}${column.name}`,
      },
    );
    const pinned = this.state.pinned.includes(column.id);
    const pin = button(
      pinned ? '⊗' : '⊕',
      () => {
        this.state.pinned = pinned
          ? this.state.pinned.filter((id) => id !== column.id)
          : [...this.state.pinned, column.id];
        this.render();
      },
      {
        class: 'link',
        title: pinned ? 'Unpin this column' : 'Pin this column to the left',
        'aria-label': pinned ? `Unpin ${column.name}` : `Pin ${column.name}`,
      },
    );
    append(
      th,
      column.group === 'run' ? null : h('span', { class: 'empty' }, `${column.group} `),
      sort,
      ' ',
      pin,
    );
    return th;
  }

  private cell(column: Column, run: CompareRun): HTMLTableCellElement {
    const pinned = this.state.pinned.includes(column.id) ? 'pinned' : '';
    const numeric = typeof column.value(run) === 'number' ? 'number' : '';
    const td = h('td', { class: `${pinned} ${numeric}`.trim() || undefined });
    if (column.id === 'run:name') {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = this.hooks.color(run.runId);
      append(
        td,
        swatch,
        button(column.text(run), () => this.hooks.openRun(run.runId), {
          class: 'link',
          title: `Open run ${run.runId}`,
        }),
      );
    } else {
      append(td, column.text(run));
    }
    return td;
  }

  /** Pinned columns stay in view while the table scrolls sideways: each sticks at its offset. */
  private stickPinned(table: HTMLTableElement, shown: Column[]): void {
    const count = shown.filter((c) => this.state.pinned.includes(c.id)).length;
    if (count === 0) return;
    requestAnimationFrame(() => {
      const header = table.tHead?.rows[0];
      if (!header) return;
      let left = 0;
      for (let i = 0; i < count; i++) {
        const offset = `${left}px`;
        for (const row of Array.from(table.rows)) {
          const cell = row.cells[i];
          if (cell) cell.style.left = offset;
        }
        left += header.cells[i].offsetWidth;
      }
    });
  }

  private renderChooser(): void {
    clear(this.chooser);
    for (const column of this.columns) {
      const box = h('input', { type: 'checkbox', checked: !this.state.hidden.includes(column.id) });
      box.addEventListener('change', () => {
        this.state.hidden = box.checked
          ? this.state.hidden.filter((id) => id !== column.id)
          : [...this.state.hidden, column.id];
        this.render();
      });
      append(
        this.chooser,
        h(
          'label',
          {},
          box,
          column.group === 'run' ? column.name : `${column.group}: ${column.name}`,
        ),
      );
    }
  }
}

function rawText(column: Column, run: CompareRun): string {
  const value = column.value(run);
  if (column.id === 'run:start')
    return run.startTime === null ? '' : new Date(run.startTime).toISOString();
  if (column.id === 'run:duration')
    return run.durationMs === null ? '' : String(run.durationMs / 1000);
  return value === null ? '' : String(value);
}
