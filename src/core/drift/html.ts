import { conceptSection, multivariateSection } from './htmlSections';
import { formatNumber, verdictLine } from './report';
import type { ColumnResult, DriftReport, Histogram } from './types';

/**
 * A self-contained HTML page of a drift report, to attach to a ticket: inline CSS and SVG,
 * no script and nothing loaded from anywhere, and every value from the files escaped.
 */
export function reportHtml(report: DriftReport): string {
  const ordered = [...report.columns].sort((a, b) => Number(b.drift) - Number(a.drift));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Drift report: ${escapeHtml(baseName(report.current.path))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Drift report</h1>
<p class="verdict ${report.dataset.drift ? 'drift' : 'ok'}">${escapeHtml(verdictLine(report))}</p>
${filesTable(report)}
<h2>Columns</h2>
${columnsTable(ordered)}
${notesList(report)}
${multivariateSection(report.multivariate)}
${conceptSection(report.concept)}
<h2>Distributions</h2>
${ordered.map(columnFigure).join('\n')}
<footer>Made by Model Factory. Tests and thresholds follow Evidently; p-values follow SciPy.</footer>
</body>
</html>
`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 960px; color: #1f2328; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid #eaeef2; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.drift td:first-child { border-left: 3px solid #cf222e; }
.verdict { font-size: 1.1rem; font-weight: 600; padding: .5rem .8rem; border-radius: 6px; }
.verdict.drift { background: #ffebe9; color: #82071e; }
.verdict.ok { background: #dafbe1; color: #116329; }
.yes { color: #cf222e; font-weight: 600; }
figure { display: inline-block; margin: .5rem; vertical-align: top; }
figcaption { font-size: .85rem; }
.legend span { display: inline-block; width: .8rem; height: .8rem; margin: 0 .3rem 0 .8rem; vertical-align: middle; }
footer { margin-top: 3rem; color: #656d76; font-size: .8rem; }
`;

function filesTable(report: DriftReport): string {
  const row = (label: string, file: DriftReport['reference']) =>
    `<tr><th>${label}</th><td>${escapeHtml(file.path)}</td><td class="num">${file.rows} rows</td>` +
    `<td class="num">${file.columns} columns</td></tr>`;
  const { correction } = report.dataset;
  const corrected =
    correction.method === 'none'
      ? 'no correction'
      : `${correction.method} over ${correction.tests} p-values at ${correction.alpha}`;
  return `<table>${row('Reference', report.reference)}${row('Current', report.current)}
<tr><th>Rule</th><td colspan="3">drift when at least ${report.dataset.driftShare * 100}% of the
tested columns drifted; ${escapeHtml(corrected)}</td></tr></table>`;
}

function columnsTable(columns: ColumnResult[]): string {
  const rows = columns.map((c) => {
    const threshold = c.threshold === null ? '' : `${c.operator} ${formatNumber(c.threshold)}`;
    const verdict = c.status === 'skipped' ? 'skipped' : c.drift ? 'drift' : 'no';
    return (
      `<tr class="${c.drift ? 'drift' : ''}"><td>${escapeHtml(c.column)}</td>` +
      `<td>${c.kind}</td><td>${escapeHtml(c.testName ?? '')}</td>` +
      `<td class="num">${c.statistic === null ? '' : formatNumber(c.statistic)}</td>` +
      `<td class="num">${c.pValue === null ? '' : formatNumber(c.pValue)}</td>` +
      `<td class="num">${escapeHtml(threshold)}</td>` +
      `<td class="${c.drift ? 'yes' : ''}">${verdict}</td>` +
      `<td class="num">${c.reference.missing} / ${c.current.missing}</td></tr>`
    );
  });
  return `<table><thead><tr><th>Column</th><th>Kind</th><th>Test</th><th>Statistic</th>
<th>p-value</th><th>Threshold</th><th>Drift</th><th>Missing (ref / cur)</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function notesList(report: DriftReport): string {
  const notes = [
    ...report.notes,
    ...report.columns.flatMap((c) => c.notes.map((note) => `${c.column}: ${note}`)),
  ];
  if (notes.length === 0) return '';
  return `<h2>Notes</h2><ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
}

const REFERENCE_COLOR = '#8c959f';
const CURRENT_COLOR = '#0969da';

function columnFigure(column: ColumnResult): string {
  if (!column.histogram) return '';
  const caption = `${column.column}${column.drift ? ' (drift)' : ''}`;
  return `<figure><figcaption>${escapeHtml(caption)}
<span class="legend"><span style="background:${REFERENCE_COLOR}"></span>reference<span style="background:${CURRENT_COLOR}"></span>current</span></figcaption>
${histogramSvg(column.histogram, column.column)}</figure>`;
}

/** Two bars a bin, as shares of each side so different sizes compare. */
export function histogramSvg(histogram: Histogram, title: string): string {
  const width = 420;
  const height = 160;
  const bins = histogram.reference.length;
  const share = (values: number[]) => {
    const total = values.reduce((a, b) => a + b, 0) || 1;
    return values.map((v) => v / total);
  };
  const ref = share(histogram.reference);
  const cur = share(histogram.current);
  const top = Math.max(...ref, ...cur, 1e-12);
  const slot = width / bins;
  const bar = (value: number, i: number, offset: number, color: string) => {
    const h = (value / top) * (height - 20);
    return `<rect x="${(i * slot + offset).toFixed(1)}" y="${(height - 20 - h).toFixed(1)}" width="${(slot * 0.4).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}"/>`;
  };
  const bars = ref.flatMap((r, i) => [
    bar(r, i, slot * 0.1, REFERENCE_COLOR),
    bar(cur[i], i, slot * 0.5, CURRENT_COLOR),
  ]);
  const labels = axisLabels(histogram, width, height);
  return `<svg width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`Distribution of ${title}`)}">
${bars.join('')}<line x1="0" y1="${height - 20}" x2="${width}" y2="${height - 20}" stroke="#d0d7de"/>${labels}</svg>`;
}

function axisLabels(histogram: Histogram, width: number, height: number): string {
  const text = (x: number, value: string, anchor: string) =>
    `<text x="${x.toFixed(1)}" y="${height - 5}" font-size="10" text-anchor="${anchor}" fill="#656d76">${escapeHtml(value)}</text>`;
  if (histogram.edges) {
    const edges = histogram.edges;
    return (
      text(0, formatNumber(edges[0]), 'start') + text(width, formatNumber(edges.at(-1)!), 'end')
    );
  }
  const categories = histogram.categories ?? [];
  const slot = width / Math.max(categories.length, 1);
  if (categories.length > 8) return '';
  return categories.map((c, i) => text(i * slot + slot / 2, clip(c, 12), 'middle')).join('');
}

function clip(value: string, length: number): string {
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
