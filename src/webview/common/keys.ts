/**
 * Arrow-key navigation in a table, as a grid: one cell is in the tab order at a time, and the
 * arrows, Home and End move between cells, so a keyboard user crosses a 500-row table without
 * tabbing through every cell. Enter or Space on a cell clicks the button or link inside it.
 */
export function gridKeys(table: HTMLTableElement): void {
  table.setAttribute('role', 'grid');
  const cells = () => Array.from(table.rows).map((row) => Array.from(row.cells));
  let current: HTMLTableCellElement | undefined;

  const focus = (cell: HTMLTableCellElement | undefined) => {
    if (!cell) return;
    if (current) current.tabIndex = -1;
    cell.tabIndex = 0;
    cell.focus();
    current = cell;
  };

  const first = table.rows[0]?.cells[0];
  for (const row of cells()) for (const cell of row) cell.tabIndex = -1;
  if (first) {
    first.tabIndex = 0;
    current = first;
  }

  table.addEventListener('keydown', (event) => {
    const cell = (event.target as HTMLElement).closest('td, th') as HTMLTableCellElement | null;
    if (!cell) return;
    const grid = cells();
    const rowIndex = (cell.parentElement as HTMLTableRowElement).rowIndex;
    const column = cell.cellIndex;
    const moves: Record<string, () => HTMLTableCellElement | undefined> = {
      ArrowRight: () => grid[rowIndex]?.[column + 1],
      ArrowLeft: () => grid[rowIndex]?.[column - 1],
      ArrowDown: () => grid[rowIndex + 1]?.[Math.min(column, grid[rowIndex + 1].length - 1)],
      ArrowUp: () => grid[rowIndex - 1]?.[Math.min(column, grid[rowIndex - 1].length - 1)],
      Home: () => grid[rowIndex]?.[0],
      End: () => grid[rowIndex]?.[grid[rowIndex].length - 1],
    };
    if (moves[event.key]) {
      event.preventDefault();
      focus(moves[event.key]());
    } else if ((event.key === 'Enter' || event.key === ' ') && event.target === cell) {
      const action = cell.querySelector('button, a') as HTMLElement | null;
      if (action) {
        event.preventDefault();
        action.click();
      }
    }
  });
}
