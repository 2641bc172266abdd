import type { ConceptReport } from './concept';
import { escapeHtml } from './html';
import { formatNumber } from './report';
import type { MultivariateResult } from './types';

/** The multivariate and concept drift sections of the HTML report. */
export function multivariateSection(result: MultivariateResult | undefined): string {
  if (!result) return '';
  const verdict =
    result.status !== 'ok'
      ? 'not enough complete rows to test'
      : `${result.drift ? 'drift' : 'no drift'}: MMD² ${formatNumber(result.statistic)}, ` +
        `p-value ${formatNumber(result.pValue)} (drift when below ${result.threshold}), ` +
        `${result.permutations} permutations`;
  return `<h2>Multivariate drift</h2>
<p>${escapeHtml(verdict)}. Columns: ${escapeHtml(result.columns.join(', '))}; rows used:
${result.rowsUsed.reference} reference, ${result.rowsUsed.current} current.</p>`;
}

export function conceptSection(concept: ConceptReport | undefined): string {
  if (!concept) return '';
  const metrics = Object.keys(concept.reference);
  const rows = metrics.map(
    (m) =>
      `<tr><td>${escapeHtml(m)}</td><td class="num">${formatNumber(concept.reference[m])}</td>` +
      `<td class="num">${formatNumber(concept.current[m])}</td>` +
      `<td class="num">${formatNumber(concept.change[m])}</td></tr>`,
  );
  const test = concept.errorTest;
  const detectors = concept.detectors.map((d) => {
    const fired =
      d.status !== 'ok'
        ? `not enough rows (needs ${d.minRows})`
        : d.drift.length === 0
          ? 'no drift'
          : `drift at rows ${d.drift.slice(0, 20).join(', ')}${d.drift.length > 20 ? '…' : ''}`;
    return `<tr><td>${d.name}</td><td>${escapeHtml(fired)}</td><td class="num">${d.warning.length}</td></tr>`;
  });
  return `<h2>Concept drift (${concept.task})</h2>
<table><thead><tr><th>Metric</th><th>Reference</th><th>Current</th><th>Change</th></tr></thead>
<tbody>${rows.join('')}</tbody></table>
<p>Error test (${escapeHtml(test.test)}): p-value ${formatNumber(test.pValue)},
${test.drift ? '<span class="yes">the error moved</span>' : 'no change in the error'}.</p>
${errorChart(concept)}
<table><thead><tr><th>Detector</th><th>Result (current file rows, from 0)</th><th>Warnings</th></tr></thead>
<tbody>${detectors.join('')}</tbody></table>`;
}

const DETECTOR_COLORS = [
  '#cf222e',
  '#bf8700',
  '#8250df',
  '#1a7f37',
  '#0969da',
  '#bc4c00',
  '#57606a',
];

/** The current error over the file, with a mark where each detector signalled drift. */
function errorChart(concept: ConceptReport): string {
  const { rows, values } = concept.errorCurve;
  if (rows.length < 2) return '';
  const width = 860;
  const height = 180;
  const last = Math.max(rows.at(-1)!, 1);
  const top = Math.max(...values, 1e-12);
  const x = (row: number) => ((row / last) * (width - 10) + 5).toFixed(1);
  const y = (value: number) => (height - 25 - (value / top) * (height - 35)).toFixed(1);
  const line = rows.map((row, i) => `${x(row)},${y(values[i])}`).join(' ');
  const marks = concept.detectors.flatMap((d, k) =>
    d.drift.map(
      (row) =>
        `<line x1="${x(row)}" x2="${x(row)}" y1="5" y2="${height - 25}" stroke="${DETECTOR_COLORS[k % 7]}" stroke-dasharray="3 2"><title>${d.name} at row ${row}</title></line>`,
    ),
  );
  const legend = concept.detectors
    .filter((d) => d.drift.length > 0)
    .map(
      (d) =>
        `<span style="background:${DETECTOR_COLORS[concept.detectors.indexOf(d) % 7]}"></span>${d.name}`,
    )
    .join('');
  return `<figure><figcaption>Current error along the file (mean per slice); dashed: drift signalled
<span class="legend">${legend}</span></figcaption>
<svg width="${width}" height="${height}" role="img" aria-label="Error along the current file">
<polyline points="${line}" fill="none" stroke="#0969da" stroke-width="1.5"/>${marks.join('')}
<text x="5" y="${height - 8}" font-size="10" fill="#656d76">row 0</text>
<text x="${width - 5}" y="${height - 8}" font-size="10" text-anchor="end" fill="#656d76">row ${last}</text>
</svg></figure>`;
}
