import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Run, RunStatus } from '../../../src/core/store/entities';
import {
  SourceTag,
  lastRunLens,
  parameterHistoryMarkdown,
  sourceFilter,
} from '../../../src/vscode/language/lastRun';
import { openTempStore } from '../../helpers/tempStore';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

function run(status: RunStatus, metrics: [string, number][], startTime: number | null): Run {
  return {
    info: {
      runId: 'abc123',
      runName: 'brave-owl',
      experimentId: '1',
      userId: 'me',
      status,
      startTime,
      endTime: null,
      artifactUri: '',
      lifecycleStage: 'active',
    },
    data: {
      metrics: metrics.map(([key, value]) => ({ key, value, timestamp: 0, step: 0 })),
      params: [],
      tags: [],
    },
    inputs: { datasetInputs: [] },
  };
}

test('the lens reads when, the key metric and a status mark', () => {
  const finished = run(
    'FINISHED',
    [
      ['loss', 0.2],
      ['rmse', 0.41234],
    ],
    NOW - 3 * 60_000,
  );

  assert.equal(lastRunLens(finished, 'rmse', NOW).title, 'last: 3 min ago · rmse 0.4123 ✓');
  assert.equal(lastRunLens(finished, 'rmse', NOW).tooltip, 'Open run brave-owl (finished)');
});

test('without a key metric setting the run’s first metric is shown', () => {
  const failed = run('FAILED', [['loss', 1.5]], NOW - 2 * 3600_000);

  assert.equal(lastRunLens(failed, '', NOW).title, 'last: 2 h ago · loss 1.5 ✗');
});

test('a run without the key metric, or without any, shows only when and the status', () => {
  const running = run('RUNNING', [['loss', 1]], NOW - 10_000);
  const killed = run('KILLED', [], NOW - 10_000);

  assert.equal(lastRunLens(running, 'rmse', NOW).title, 'last: just now ⟳');
  assert.equal(lastRunLens(killed, '', NOW).title, 'last: just now ⊘');
});

test('a script’s runs are found by path and kind, a project’s by path and entry point', () => {
  const script = sourceFilter({ kind: 'train', uri: 'file:///w/train.py' }, '/w/train.py');
  const project = sourceFilter(
    { kind: 'evaluate', uri: 'file:///w/MLproject', entryPoint: 'eval' },
    '/w/MLproject',
  );

  assert.equal(
    script,
    "tags.`mlflow.source.name` = '/w/train.py' AND tags.`model_factory.kind` = 'train'",
  );
  assert.equal(
    project,
    "tags.`mlflow.source.name` = '/w/MLproject' AND tags.`mlflow.project.entryPoint` = 'eval'",
  );
});

test('quotes in a path are doubled so the filter still names that path', () => {
  const filter = sourceFilter({ kind: 'train', uri: 'file:///x' }, "/home/o'neil/it's.py");

  assert.match(filter, /= '\/home\/o''neil\/it''s\.py' AND/);
});

test('the filter, ordered by start time, finds the latest run of that place in a real store', async (t) => {
  const { store, dispose } = await openTempStore();
  t.after(dispose);
  const path = "/w/it's/train.py";
  const tags = (file: string, kind: string) => [
    { key: SourceTag.name, value: file },
    { key: SourceTag.kind, value: kind },
  ];
  store.createRun({
    experimentId: '0',
    runName: 'old',
    startTime: 1000,
    tags: tags(path, 'train'),
  });
  store.createRun({
    experimentId: '0',
    runName: 'new',
    startTime: 3000,
    tags: tags(path, 'train'),
  });
  store.createRun({
    experimentId: '0',
    runName: 'eval',
    startTime: 4000,
    tags: tags(path, 'evaluate'),
  });
  store.createRun({
    experimentId: '0',
    runName: 'other',
    startTime: 5000,
    tags: tags('/w/x.py', 'train'),
  });

  const filter = sourceFilter({ kind: 'train', uri: 'file:///ignored' }, path);
  const page = store.searchRuns({
    experimentIds: ['0'],
    filter,
    orderBy: ['attributes.start_time DESC'],
    maxResults: 1,
  });

  assert.deepEqual(
    page.items.map((found) => found.info.runName),
    ['new'],
  );
});

function withParams(base: Run, runName: string, params: [string, string][]): Run {
  return {
    ...base,
    info: { ...base.info, runName },
    data: { ...base.data, params: params.map(([key, value]) => ({ key, value })) },
  };
}

test('the hover lists the values a parameter took in the last runs, newest first', () => {
  const runs = [
    withParams(run('FINISHED', [], NOW - 3 * 60_000), 'brave-owl', [['alpha', '0.05']]),
    withParams(run('FAILED', [], NOW - 2 * 3_600_000), 'calm-fox', [['beta', '1']]),
    withParams(run('RUNNING', [], NOW - 30_000), 'keen_elk', [['alpha', '']]),
  ];

  const markdown = parameterHistoryMarkdown(runs, 'alpha', NOW);

  assert.equal(
    markdown,
    [
      'Values in the last runs of this entry point:',
      '',
      '- `0.05` · 3 min ago · brave\\-owl ✓',
      '- `""` · just now · keen\\_elk ⟳',
    ].join('\n'),
  );
  assert.equal(parameterHistoryMarkdown(runs, 'gamma', NOW), '', 'no run has it: nothing to add');
  assert.equal(parameterHistoryMarkdown([], 'alpha', NOW), '');
});

test('hostile values stay literal in the hover: backticks, links, HTML and line breaks', () => {
  const values = [
    '`rm -rf`',
    '[x](command:workbench.action.quit)',
    '<img src=x onerror=1>',
    'a\nb',
  ];
  const runs = values.map((value, i) =>
    withParams(run('FINISHED', [], NOW), `r${i}`, [['p', value]]),
  );

  const lines = parameterHistoryMarkdown(runs, 'p', NOW).split('\n').slice(2);

  assert.deepEqual(
    lines.map((line) => line.slice(2, line.indexOf(' · '))),
    ['`` `rm -rf` ``', '`[x](command:workbench.action.quit)`', '`<img src=x onerror=1>`', '`a b`'],
    'each value is one code span, which Markdown shows as text',
  );
  const long = parameterHistoryMarkdown(
    [withParams(run('FINISHED', [], NOW), 'r', [['p', 'x'.repeat(100)]])],
    'p',
    NOW,
  );
  assert.match(long, /`x{59}…`/);
});
