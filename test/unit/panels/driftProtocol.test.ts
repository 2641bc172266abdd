import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DriftHostMessage,
  DriftPanelState,
  DriftReportJson,
  DriftWebviewMessage,
} from '../../../src/protocol/drift';
import { churnReport, handReport, meta } from './driftFixture';

function issueAt(value: unknown): string {
  const parsed = DriftReportJson.safeParse(value);
  return parsed.success ? 'accepted' : parsed.error.issues[0].path.join('.');
}

test('the report the engine writes for the churn example is accepted as it is', async () => {
  const report = await churnReport();

  const parsed = DriftHostMessage.safeParse({ type: 'report', report, meta: meta() });

  assert.equal(parsed.success, true, parsed.success ? '' : JSON.stringify(parsed.error.issues[0]));
  const message = parsed.data as Extract<DriftHostMessage, { type: 'report' }>;
  assert.equal(message.report.columns.length, 8);
  assert.ok(message.report.concept, 'the check had a target and a prediction');
  assert.ok(message.report.multivariate);
});

test('a report with nulls, a skipped text column and a regression concept section is accepted', () => {
  const parsed = DriftReportJson.safeParse(handReport());

  assert.equal(parsed.success, true, parsed.success ? '' : JSON.stringify(parsed.error.issues[0]));
  assert.equal(parsed.data?.columns[2].histogram, null);
  assert.equal(parsed.data?.concept?.current.r2, null);
});

test('fields a newer engine adds pass through, so an older panel still shows the report', () => {
  const base = handReport();
  const report = {
    ...base,
    engine_version: '2',
    columns: [{ ...base.columns[0], effect_size: 0.4 }],
  };

  const parsed = DriftReportJson.parse(report) as Record<string, unknown> & DriftReportJson;

  assert.equal(parsed.engine_version, '2');
  assert.equal((parsed.columns[0] as Record<string, unknown>).effect_size, 0.4);
});

test('a report of the wrong shape is refused, naming the field', () => {
  const report = handReport();
  const column = report.columns[0];
  const withColumn = (change: object) => ({ ...report, columns: [{ ...column, ...change }] });

  assert.equal(issueAt({ ...report, dataset: undefined }), 'dataset');
  assert.equal(issueAt(withColumn({ statistic: 'NaN' })), 'columns.0.statistic');
  assert.equal(issueAt(withColumn({ statistic: Number.NaN })), 'columns.0.statistic');
  assert.equal(issueAt(withColumn({ statistic: Infinity })), 'columns.0.statistic');
  assert.equal(issueAt(withColumn({ kind: 'image' })), 'columns.0.kind');
  assert.equal(issueAt(withColumn({ operator: '==' })), 'columns.0.operator');
  assert.equal(
    issueAt(withColumn({ reference: { ...column.reference, count: -1 } })),
    'columns.0.reference.count',
  );
  assert.equal(issueAt({ ...report, dataset: { ...report.dataset, share: 2 } }), 'dataset.share');
});

test('a histogram whose counts do not fit its bins is refused', () => {
  const report = handReport();
  const withHistogram = (histogram: object) => ({
    ...report,
    columns: [{ ...report.columns[0], histogram }],
  });

  assert.equal(
    issueAt(withHistogram({ edges: [0, 1, 2], reference: [1, 2, 3], current: [1, 2, 3] })),
    'columns.0.histogram',
  );
  assert.equal(
    issueAt(withHistogram({ edges: [0, 1], reference: [1], current: [1, 2] })),
    'columns.0.histogram',
  );
  assert.equal(issueAt(withHistogram({ reference: [1], current: [1] })), 'columns.0.histogram');
  assert.equal(
    issueAt(withHistogram({ categories: ['a'], reference: [-1], current: [1] })),
    'columns.0.histogram.reference.0',
  );
  assert.equal(
    issueAt(withHistogram({ categories: ['a'], reference: [4], current: [1] })),
    'accepted',
  );
});

test('an error curve with more rows than values is refused', () => {
  const report = handReport();
  const concept = { ...report.concept, error_curve: { rows: [0, 1], values: [0.5] } };

  assert.equal(issueAt({ ...report, concept }), 'concept.error_curve');
});

test('the report message needs the whole meta', () => {
  const report = handReport();

  for (const broken of [
    { ...meta(), canRetrain: 'yes' },
    { ...meta(), checkId: undefined },
    { ...meta(), stale: 3 },
  ]) {
    const parsed = DriftHostMessage.safeParse({ type: 'report', report, meta: broken });
    assert.equal(parsed.success, false, JSON.stringify(broken));
  }
  assert.equal(
    DriftHostMessage.safeParse({ type: 'busy', action: 'retrain', busy: true }).success,
    true,
  );
  assert.equal(
    DriftHostMessage.safeParse({ type: 'busy', action: 'deleteAll', busy: true }).success,
    false,
  );
});

test('the page may send only the drift panel’s own messages, in their shape', () => {
  for (const message of [
    { type: 'ready' },
    { type: 'exportHtml' },
    { type: 'retrain' },
    { type: 'openFile', side: 'reference' },
    { type: 'openFile', side: 'current' },
    { type: 'report', level: 'warn', message: 'x' },
  ]) {
    assert.equal(DriftWebviewMessage.safeParse(message).success, true, JSON.stringify(message));
  }
  for (const message of [
    null,
    'ready',
    { type: 'runShellCommand', command: 'rm -rf ~' },
    { type: 'openFile' },
    { type: 'openFile', side: '../../etc/passwd' },
    { type: 'openFile', path: '/etc/passwd' },
    { type: 'series', requestId: 1 },
    { type: 'report', level: 'fatal', message: 'x' },
  ]) {
    assert.equal(DriftWebviewMessage.safeParse(message).success, false, JSON.stringify(message));
  }
});

test('saved page state is read back only in its own shape', () => {
  const view = { selected: 'price', filter: 'pr', driftedOnly: true, scale: 'share' };

  assert.equal(
    DriftPanelState.safeParse({ kind: 'drift', checkId: null, current: '/a.csv', view }).success,
    true,
  );
  assert.equal(
    DriftPanelState.safeParse({ kind: 'run', checkId: null, current: '/a.csv', view }).success,
    false,
  );
  assert.equal(
    DriftPanelState.safeParse({
      kind: 'drift',
      checkId: 'c',
      current: '/a.csv',
      view: { ...view, scale: 'log' },
    }).success,
    false,
  );
  assert.equal(DriftPanelState.safeParse(undefined).success, false);
});
