import type {
  DriftColumn,
  DriftConcept,
  DriftMeta,
  DriftMultivariate,
  DriftReportJson,
  DriftSide,
} from '../../protocol/drift';
import { button, h, keyValueTable } from '../common/dom';
import { formatNumber } from '../common/format';
import {
  changeTone,
  correctionText,
  driftText,
  percent,
  signed,
  thresholdText,
  verdictText,
} from './model';

/**
 * The drift panel's blocks, each built from the report as DOM with every workspace value as
 * text: the verdict and files at the top, the selected column's numbers, the multivariate test
 * and the concept drift tables. The charts are bars.ts and errorCurve.ts.
 */

/** The verdict, with the share of drifted columns against the share at which the dataset drifts. */
export function verdict(report: DriftReportJson): HTMLElement {
  const { dataset } = report;
  const fill = h('span', { class: 'fill' });
  fill.style.width = percent(Math.min(1, dataset.share));
  const mark = h('span', {
    class: 'mark',
    title: `the dataset drifts at ${percent(dataset.drift_share)}`,
  });
  mark.style.left = percent(Math.min(1, dataset.drift_share));
  const bar = h(
    'div',
    {
      class: 'share-bar',
      role: 'meter',
      'aria-label': 'Share of drifted columns',
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': Math.round(dataset.share * 100),
    },
    fill,
    mark,
  );
  const correction = correctionText(dataset);
  return h(
    'div',
    { class: `verdict ${dataset.drift ? 'drift' : 'ok'}`, role: 'status' },
    h('strong', {}, verdictText(dataset)),
    bar,
    correction ? h('div', { class: 'empty' }, correction) : null,
  );
}

/** Both files, each with a link that opens it, and the columns only one of them has. */
export function files(
  report: DriftReportJson,
  meta: DriftMeta,
  open: (side: DriftSide) => void,
): HTMLElement {
  const row = (side: DriftSide, label: string) => {
    const file = report[side];
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, side === 'reference' ? 'Reference' : 'Current'),
      h(
        'td',
        {},
        button(label, () => open(side), { class: 'link', title: `Open ${file.path}` }),
      ),
      h('td', { class: 'number' }, `${formatNumber(file.rows)} rows`),
      h('td', { class: 'number' }, `${formatNumber(file.columns)} columns`),
      h('td', {}, file.format),
    );
  };
  const missing = (side: DriftSide, names: string[]) =>
    names.length === 0
      ? null
      : h(
          'p',
          {},
          `Only in the ${side} file, not compared: `,
          h('span', { class: 'names' }, names.join(', ')),
        );
  return h(
    'div',
    {},
    h(
      'table',
      { class: 'kv files' },
      h('tbody', {}, row('reference', meta.referenceLabel), row('current', meta.currentLabel)),
    ),
    missing('reference', report.missing_columns.reference),
    missing('current', report.missing_columns.current),
  );
}

export function notesList(notes: string[]): HTMLElement | null {
  if (notes.length === 0) return null;
  return h('ul', { class: 'notes' }, ...notes.map((note) => h('li', {}, note)));
}

/** The selected column's test, in words, above its chart. */
export function columnHeading(column: DriftColumn): HTMLElement {
  const verdictWord = driftText(column);
  return h(
    'div',
    {},
    h(
      'h3',
      {},
      column.column,
      ' ',
      h(
        'span',
        { class: `badge ${verdictWord === 'Drift' ? 'drifted' : ''}`.trim() },
        verdictWord === 'no' ? 'no drift' : verdictWord,
      ),
    ),
    h(
      'div',
      { class: 'meta' },
      h('span', {}, column.kind),
      column.test_name ? h('span', {}, column.test_name) : null,
      column.statistic !== null
        ? h('span', {}, `statistic ${formatNumber(column.statistic)}`)
        : null,
      column.p_value !== null ? h('span', {}, `p-value ${formatNumber(column.p_value)}`) : null,
      column.threshold !== null ? h('span', {}, `drift when ${thresholdText(column)}`) : null,
    ),
  );
}

/** Values compared, missing, infinite and distinct, on each side. */
export function sideCounts(column: DriftColumn): HTMLElement {
  const rows: Array<[string, keyof DriftColumn['reference']]> = [
    ['Values compared', 'count'],
    ['Missing', 'missing'],
    ['Infinite (dropped)', 'infinite'],
    ['Distinct', 'distinct'],
  ];
  return h(
    'table',
    { class: 'grid counts', 'aria-label': `Counts of ${column.column}` },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, ''),
        h('th', { scope: 'col' }, 'Reference'),
        h('th', { scope: 'col' }, 'Current'),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map(([label, key]) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, label),
          h('td', { class: 'number' }, formatNumber(column.reference[key] as number)),
          h('td', { class: 'number' }, formatNumber(column.current[key] as number)),
        ),
      ),
    ),
  );
}

export function multivariate(result: DriftMultivariate | undefined): HTMLElement {
  if (!result) {
    return h(
      'p',
      { class: 'empty' },
      'No multivariate test: the check compared no numerical column.',
    );
  }
  if (result.status !== 'ok') {
    return h(
      'p',
      { class: 'empty' },
      `Not tested: fewer than two rows on a side have a value in every numerical column (${result.columns.join(', ')}).`,
    );
  }
  const verdictLine = result.drift
    ? 'Drift: the numerical columns moved together.'
    : 'No drift across the numerical columns taken together.';
  return h(
    'div',
    {},
    h('p', { class: result.drift ? 'yes' : undefined }, verdictLine),
    keyValueTable(
      [
        { key: 'Test', value: `maximum mean discrepancy (${result.test}), permutation test` },
        { key: 'Columns', value: result.columns.join(', ') },
        { key: 'MMD²', value: formatNumber(result.statistic) },
        {
          key: 'p-value',
          value: `${formatNumber(result.p_value)} (drift when below ${formatNumber(result.threshold)})`,
        },
        {
          key: 'Rows used',
          value: `${formatNumber(result.rows_used.reference)} reference, ${formatNumber(result.rows_used.current)} current`,
        },
        { key: 'Permutations', value: formatNumber(result.permutations) },
        { key: 'Kernel width (σ)', value: formatNumber(result.sigma) },
      ],
      '',
    ),
  );
}

/** Each metric on both sides and its change, marked better or worse for the metric. */
export function conceptMetrics(concept: DriftConcept): HTMLElement {
  const metrics = Object.keys(concept.reference);
  const head = h(
    'tr',
    {},
    ...['Metric', 'Reference', 'Current', 'Change'].map((t) => h('th', { scope: 'col' }, t)),
  );
  const rows = metrics.map((metric) => {
    const change = concept.change[metric] ?? null;
    const tone = changeTone(metric, change);
    const word = tone === 'better' ? ' (better)' : tone === 'worse' ? ' (worse)' : '';
    return h(
      'tr',
      {},
      h('th', { scope: 'row' }, metric),
      h('td', { class: 'number' }, formatNumber(concept.reference[metric])),
      h('td', { class: 'number' }, formatNumber(concept.current[metric] ?? null)),
      h('td', { class: `number ${tone}` }, `${signed(change)}${word}`),
    );
  });
  return h(
    'table',
    { class: 'grid', 'aria-label': 'Model metrics, reference against current' },
    h('thead', {}, head),
    h('tbody', {}, ...rows),
  );
}

export function errorTest(concept: DriftConcept): HTMLElement {
  const test = concept.error_test;
  const name =
    test.test === 'z'
      ? 'two-proportion z-test of the error rates'
      : test.test === 'ks'
        ? 'Kolmogorov-Smirnov test of the absolute errors'
        : test.test;
  const outcome = test.drift ? 'the error moved' : 'no change in the error';
  return h(
    'p',
    {},
    `Error test (${name}): statistic ${formatNumber(test.statistic)}, p-value ${formatNumber(test.p_value)}, drift when below ${formatNumber(test.threshold)}: `,
    h('strong', { class: test.drift ? 'yes' : undefined }, outcome),
    `. Rows with a target and a prediction: ${formatNumber(concept.rows.reference)} reference, ${formatNumber(concept.rows.current)} current.`,
  );
}
