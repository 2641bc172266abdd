import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DriftReportJson, type DriftColumn } from '../../../src/protocol/drift';
import { barLayout, fitLabel, niceTicks, scaled } from '../../../src/webview/drift/layout';
import {
  binRows,
  changeTone,
  chartSummary,
  correctionText,
  detectorText,
  filterColumns,
  orderColumns,
  pickSelected,
  thresholdText,
  verdictText,
} from '../../../src/webview/drift/model';
import { handReport, hostileName } from './driftFixture';

const report = DriftReportJson.parse(handReport());
const [price, hostile, comment] = report.columns;
const box = { left: 50, top: 10, width: 400, height: 200 };

function column(name: string, change: Partial<DriftColumn> = {}): DriftColumn {
  return { ...price, column: name, ...change };
}

test('drifted columns come first, skipped ones last, the report’s order kept within each', () => {
  const columns = [
    column('a'),
    column('b', { drift: true }),
    column('c', { status: 'skipped' }),
    column('d'),
    column('e', { drift: true }),
  ];

  const ordered = orderColumns(columns).map((c) => c.column);

  assert.deepEqual(ordered, ['b', 'e', 'a', 'd', 'c']);
});

test('the filter matches every word in the name, kind or test, ignoring case', () => {
  const columns = orderColumns(report.columns);

  assert.deepEqual(
    filterColumns(columns, 'PRI', false).map((c) => c.column),
    ['price'],
  );
  assert.deepEqual(
    filterColumns(columns, 'numerical kolmogorov', false).map((c) => c.column),
    ['price'],
  );
  assert.deepEqual(
    filterColumns(columns, '  ', false).map((c) => c.column),
    [hostileName, 'price', 'comment'],
  );
  assert.deepEqual(
    filterColumns(columns, '', true).map((c) => c.column),
    [hostileName],
  );
  assert.deepEqual(filterColumns(columns, 'price nothing', false), []);
});

test('the saved selection is kept while the column exists, else the first column is shown', () => {
  const ordered = orderColumns(report.columns);

  assert.equal(pickSelected(ordered, 'comment')?.column, 'comment');
  assert.equal(pickSelected(ordered, 'gone')?.column, hostileName);
  assert.equal(pickSelected([], 'gone'), undefined);
});

test('the threshold reads as a p-value or a distance rule, whichever the test uses', () => {
  const distance = column('d', { p_value: null, operator: '>=', threshold: 0.1, statistic: 0.5 });

  assert.equal(thresholdText(price), 'p < 0.025');
  assert.equal(thresholdText(distance), 'distance ≥ 0.1');
  assert.equal(thresholdText(comment), '—');
});

test('the verdict says how many columns drifted against the dataset’s rule', () => {
  assert.equal(
    verdictText(report.dataset),
    'Drift detected: 1 of 2 columns drifted (50%); the dataset drifts when 50% or more do.',
  );
  assert.equal(
    verdictText({ ...report.dataset, drift: false, drifted: 0, total: 1, share: 0 }),
    'No drift: 0 of 1 column drifted (0%); the dataset drifts when 50% or more do.',
  );
  assert.equal(
    correctionText(report.dataset),
    'p-values corrected with Bonferroni at 0.05 over 2 tests.',
  );
  assert.equal(
    correctionText({ ...report.dataset, correction: { method: 'none', alpha: null, tests: 0 } }),
    null,
  );
});

test('a metric’s change is better or worse by what the metric measures', () => {
  assert.equal(changeTone('accuracy', -0.1), 'worse');
  assert.equal(changeTone('f1', 0.02), 'better');
  assert.equal(changeTone('mae', 1), 'worse');
  assert.equal(changeTone('RMSE', -0.5), 'better');
  assert.equal(changeTone('r2', null), 'unknown');
  assert.equal(changeTone('recall', 0), 'same');
});

test('a detector says where it fired, or why it could not', () => {
  const many = Array.from({ length: 10 }, (_, i) => i * 1000);

  assert.equal(
    detectorText({ drift: [1456], warning: [1, 2], status: 'ok', min_rows: 30 }),
    'drift at row 1,456, 2 warnings',
  );
  assert.equal(
    detectorText({ drift: many, warning: [], status: 'ok', min_rows: 30 }),
    'drift at rows 0, 1,000, 2,000, 3,000, 4,000, 5,000, 6,000, 7,000 and 2 more',
  );
  assert.equal(detectorText({ drift: [], warning: [], status: 'ok', min_rows: 30 }), 'no drift');
  assert.equal(
    detectorText({ drift: [], warning: [], status: 'not enough rows', min_rows: 100 }),
    'not enough rows (needs 100)',
  );
});

test('ticks step by 1, 2 or 5 times a power of ten and reach the tallest bar', () => {
  assert.deepEqual(niceTicks(634), [0, 200, 400, 600, 800]);
  assert.deepEqual(niceTicks(0.317), [0, 0.1, 0.2, 0.3, 0.4]);
  assert.deepEqual(niceTicks(1000), [0, 200, 400, 600, 800, 1000]);
  assert.deepEqual(niceTicks(0), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(3), [0, 1, 2, 3]);
});

test('the share scale divides each side by its own total', () => {
  const shares = scaled(price.histogram!, 'share');

  assert.deepEqual(shares.reference, [100 / 490, 200 / 490, 190 / 490]);
  assert.deepEqual(shares.current, [0.1, 0.4, 0.5]);
  assert.deepEqual(
    scaled({ categories: ['a'], reference: [0], current: [0] }, 'share').reference,
    [0],
  );
});

test('numerical bins are overlaid: both sides share each bin’s span, placed by value', () => {
  const layout = barLayout(price.histogram!, 'count', box);
  const bars = (side: string) => layout.bars.filter((b) => b.side === side);

  assert.equal(layout.bars.length, 6);
  for (const [i, reference] of bars('reference').entries()) {
    const current = bars('current')[i];
    assert.equal(reference.x, current.x);
    assert.equal(reference.width, current.width);
  }
  // Edges 0, 1, 2, 4 over 400 pixels: the last bin is twice as wide as the others.
  assert.deepEqual(
    layout.slots.map((s) => [s.from, s.to]),
    [
      [50, 150],
      [150, 250],
      [250, 450],
    ],
  );
  const top = layout.ticks[layout.ticks.length - 1].value;
  const tallest = bars('current')[2];
  assert.equal(tallest.height, (200 / top) * box.height);
  assert.equal(tallest.y + tallest.height, box.top + box.height, 'bars stand on the x axis');
});

test('category bars come in pairs, reference left of current, none overlapping', () => {
  const layout = barLayout(hostile.histogram!, 'count', box);
  const sorted = [...layout.bars].sort((a, b) => a.x - b.x);

  assert.deepEqual(
    sorted.map((b) => `${b.index}${b.side[0]}`),
    ['0r', '0c', '1r', '1c', '2r', '2c'],
  );
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(sorted[i - 1].x + sorted[i - 1].width <= sorted[i].x, `bar ${i} overlaps`);
  }
  assert.deepEqual(
    layout.labels.map((l) => l.text),
    ['a', '<b>', '(other)'],
  );
});

test('x labels are cut to fit, and thinned when the edges crowd', () => {
  const narrow = barLayout(
    { categories: ['a very long category name indeed'], reference: [1], current: [1] },
    'count',
    { ...box, width: 70 },
  );
  const edges = Array.from({ length: 41 }, (_, i) => 1000.123 + i * 0.25);
  const crowded = barLayout(
    { edges, reference: new Array(40).fill(1), current: new Array(40).fill(2) },
    'count',
    box,
  );

  assert.equal(narrow.labels[0].text, 'a very lo…');
  assert.ok(crowded.labels.length < 12, `${crowded.labels.length} labels`);
  for (let i = 1; i < crowded.labels.length; i++) {
    assert.ok(crowded.labels[i].x - crowded.labels[i - 1].x >= 7 * 8, 'labels overlap');
  }
  assert.equal(fitLabel('🙂🙂🙂', 2), '🙂…', 'characters, not UTF-16 halves');
});

test('the chart’s spoken summary names every bin with both sides’ counts and shares', () => {
  assert.deepEqual(binRows(hostile.histogram!)[1], {
    label: '<b>',
    reference: 150,
    current: 100,
    referenceShare: 0.3,
    currentShare: 0.25,
  });
  assert.equal(
    chartSummary(price),
    'Histograms of price, reference against current. 0 to 1: reference 100 (20.4%), current 40 (10%); ' +
      '1 to 2: reference 200 (40.8%), current 160 (40%); 2 to 4: reference 190 (38.8%), current 200 (50%).',
  );
  assert.equal(chartSummary(comment), 'comment: no chart for a text column.');
});
