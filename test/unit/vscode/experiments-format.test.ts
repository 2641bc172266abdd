import '../../helpers/vscode';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run } from '../../../src/core/store/entities';
import { formatDuration } from '../../../src/vscode/experiments/summary';
import { csvField, runsCsv } from '../../../src/vscode/experiments/table';

function run(
  runId: string,
  runName: string,
  params: Record<string, string>,
  metrics: Record<string, number>,
): Run {
  return {
    info: {
      runId,
      runName,
      experimentId: '1',
      userId: '',
      status: 'FINISHED',
      startTime: Date.UTC(2025, 0, 1, 10, 0, 0),
      endTime: Date.UTC(2025, 0, 1, 10, 1, 30),
      artifactUri: `mlflow-artifacts:/1/${runId}/artifacts`,
      lifecycleStage: 'active',
    },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({
        key,
        value,
        timestamp: 0,
        step: 0,
      })),
      tags: [],
    },
    inputs: { datasetInputs: [] },
  };
}

test('a CSV field is quoted only when it holds a comma, a quote or a line break', () => {
  const fields = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', ''];

  const quoted = fields.map(csvField);

  assert.deepEqual(quoted, ['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\rhere"', '']);
});

test('runs export as CSV with fixed columns, then every param and metric, lines ending in CRLF', () => {
  const runs = [
    run('a'.repeat(32), 'first, try', { lr: '0.1' }, { rmse: 0.123456789 }),
    run('b'.repeat(32), 'second', { depth: '3', lr: '0.2' }, {}),
  ];

  const csv = runsCsv(runs);

  assert.equal(
    csv,
    'run_id,name,status,start_time,end_time,params.depth,params.lr,metrics.rmse\r\n' +
      `${'a'.repeat(32)},"first, try",FINISHED,2025-01-01T10:00:00.000Z,2025-01-01T10:01:30.000Z,,0.1,0.123456789\r\n` +
      `${'b'.repeat(32)},second,FINISHED,2025-01-01T10:00:00.000Z,2025-01-01T10:01:30.000Z,3,0.2,\r\n`,
  );
});

test('durations read in the two largest units that matter', () => {
  const durations = [0, 42_000, 180_000, 200_000, 3_600_000, 7_500_000].map(formatDuration);

  assert.deepEqual(durations, ['0 s', '42 s', '3 min', '3 min 20 s', '1 h', '2 h 5 min']);
});
