/**
 * Colors from VS Code's theme variables, read when a chart is drawn and again whenever the theme
 * changes (VS Code swaps the body's vscode-light / vscode-dark / vscode-high-contrast class).
 */
export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  font: string;
  highContrast: boolean;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function chartTheme(): ChartTheme {
  const highContrast = document.body.classList.contains('vscode-high-contrast');
  return {
    foreground: cssVar('--vscode-editor-foreground', '#333'),
    muted: cssVar('--vscode-descriptionForeground', '#777'),
    grid: highContrast
      ? cssVar('--vscode-contrastBorder', '#888')
      : cssVar('--vscode-editorWidget-border', '#8884'),
    background: cssVar('--vscode-editor-background', '#fff'),
    font: `${cssVar('--vscode-font-size', '13px')} ${cssVar('--vscode-font-family', 'sans-serif')}`,
    highContrast,
  };
}

export function isDark(): boolean {
  return !document.body.classList.contains('vscode-light');
}

/**
 * A run's color by its place in the panel: hues a golden angle apart stay distinct for the first
 * dozen and never repeat exactly, so 500 runs still get 500 colors, the same in every chart.
 */
export function runColor(index: number): string {
  const hue = (index * 137.508 + 210) % 360;
  const lightness = isDark() ? 65 : 42;
  return `hsl(${hue.toFixed(1)}, 70%, ${lightness}%)`;
}

/** The same color, faint: the raw series behind a smoothed one. */
export function faint(color: string): string {
  return color.replace(/^hsl\((.*)\)$/, 'hsla($1, 0.28)');
}

export function onThemeChange(callback: () => void): void {
  new MutationObserver(callback).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
}
