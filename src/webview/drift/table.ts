import type { DriftColumn, DriftViewState } from '../../protocol/drift';
import { append, clear, h } from '../common/dom';
import { formatNumber } from '../common/format';
import { gridKeys } from '../common/keys';
import { driftText, filterColumns, thresholdText } from './model';

/**
 * The columns table: every column of the report, drifted first, narrowed by a text filter and a
 * "drifted only" switch. The arrows move between cells (common/keys); a click, or Enter or Space
 * on any cell of a row, selects that column for the chart below.
 */
export interface TableHooks {
  select(column: string): void;
  /** The filter changed: the owner saves the view state. */
  changed(): void;
}

const HEADERS = ['Column', 'Kind', 'Test', 'Statistic', 'p-value', 'Threshold', 'Drift'];

export class ColumnsTable {
  private readonly filterInput = h('input', {
    type: 'text',
    placeholder: 'Filter by column, kind or test',
    'aria-label': 'Filter columns',
  });
  private readonly driftedOnly = h('input', { type: 'checkbox' });
  private readonly shownCount = h('span', { class: 'empty', 'aria-live': 'polite' });
  private readonly scroll = h('div', { class: 'table-scroll' });
  readonly element = h(
    'div',
    {},
    h(
      'div',
      { class: 'toolbar' },
      this.filterInput,
      h('label', {}, this.driftedOnly, 'Drifted only'),
      this.shownCount,
    ),
    this.scroll,
  );
  private ordered: DriftColumn[] = [];

  constructor(
    private readonly state: DriftViewState,
    private readonly hooks: TableHooks,
  ) {
    this.filterInput.value = state.filter;
    this.driftedOnly.checked = state.driftedOnly;
    this.filterInput.addEventListener('input', () => {
      this.state.filter = this.filterInput.value;
      this.render();
      this.hooks.changed();
    });
    this.driftedOnly.addEventListener('change', () => {
      this.state.driftedOnly = this.driftedOnly.checked;
      this.render();
      this.hooks.changed();
    });
  }

  /** The report's columns, already in the order shown (drifted first). */
  setColumns(ordered: DriftColumn[]): void {
    this.ordered = ordered;
    this.render();
  }

  /** Marks the selected row without building the table again, so focus stays where it is. */
  markSelected(column: string | null): void {
    for (const row of Array.from(this.scroll.querySelectorAll('tbody tr'))) {
      const selected = (row as HTMLElement).dataset.column === column;
      row.classList.toggle('selected', selected);
      row.setAttribute('aria-selected', String(selected));
    }
  }

  private render(): void {
    const shown = filterColumns(this.ordered, this.state.filter, this.state.driftedOnly);
    this.shownCount.textContent =
      shown.length === this.ordered.length
        ? `${this.ordered.length} columns`
        : `${shown.length} of ${this.ordered.length} columns`;
    clear(this.scroll);
    if (shown.length === 0) {
      append(this.scroll, h('p', { class: 'empty' }, 'No column matches the filter.'));
      return;
    }

    const head = h('tr', {}, ...HEADERS.map((text) => h('th', { scope: 'col' }, text)));
    const body = h('tbody', {}, ...shown.map((column) => this.row(column)));
    const table = h(
      'table',
      { class: 'grid columns', 'aria-label': 'Columns, drifted first' },
      h('thead', {}, head),
      body,
    );
    table.addEventListener('click', (event) => this.onClick(event));
    table.addEventListener('keydown', (event) => this.onKey(event));
    append(this.scroll, table);
    gridKeys(table);
    this.markSelected(this.state.selected);
  }

  private row(column: DriftColumn): HTMLTableRowElement {
    const skipped = column.status === 'skipped';
    const row = h('tr', {
      'data-column': column.column,
      class: skipped ? 'skipped' : column.drift ? 'drifted' : undefined,
      title: column.notes.length > 0 ? column.notes.join('\n') : undefined,
    });
    // The button carries no handler of its own: its click reaches the table's, like a row's.
    const name = h('button', { type: 'button', class: 'link' }, column.column);
    append(
      row,
      h('td', {}, name),
      h('td', {}, column.kind),
      h('td', { title: column.test ?? undefined }, column.test_name ?? column.test ?? '—'),
      h('td', { class: 'number' }, formatNumber(column.statistic)),
      h('td', { class: 'number' }, formatNumber(column.p_value)),
      h('td', {}, thresholdText(column)),
      h('td', { class: driftText(column) === 'Drift' ? 'yes' : undefined }, driftText(column)),
    );
    return row;
  }

  private onClick(event: Event): void {
    const row = (event.target as HTMLElement).closest('tbody tr') as HTMLElement | null;
    if (row?.dataset.column !== undefined) this.hooks.select(row.dataset.column);
  }

  /** Enter or Space on a cell without a button (gridKeys clicks the ones with one). */
  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const cell = (event.target as HTMLElement).closest('td');
    if (!cell || event.target !== cell || cell.querySelector('button')) return;
    event.preventDefault();
    const row = cell.parentElement as HTMLElement;
    if (row.dataset.column !== undefined) this.hooks.select(row.dataset.column);
  }
}
