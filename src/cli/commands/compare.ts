import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../errors';
import { storeDir } from '../storeDir';
import { compareVersions, type Comparison, type MetricReading } from '../../core/deploy';
import { RunStore } from '../../core/store/store';

const usage = `Usage: model-factory compare MODEL_URI MODEL_URI --metric NAME
                             [--lower-is-better | --higher-is-better] [--store DIR] [--json]

Compares two models on a metric and exits 0 when the first is at least as good as the second,
1 when the second is better, and 2 when either lacks the metric or names nothing. A registered
version (models:/name/version or models:/name@alias) is judged by its latest finished
evaluation run that logged the metric, else by the run that trained it; runs:/run_id/path by
that run. Lower is better for names such as loss, rmse, mae or error, higher otherwise; the
options say which when the name misleads. --json prints the comparison as one JSON object.`;

export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two model versions on a metric (exit 0 when the first is as good)',
  usage,
  run: compare,
};

async function compare(context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: context.args,
    allowPositionals: true,
    strict: true,
    options: {
      metric: { type: 'string' },
      'lower-is-better': { type: 'boolean' },
      'higher-is-better': { type: 'boolean' },
      store: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 2) throw new UsageError('compare takes two MODEL_URIs; see --help');
  if (!values.metric) throw new UsageError('compare needs --metric NAME');
  if (values['lower-is-better'] && values['higher-is-better']) {
    throw new UsageError('give --lower-is-better or --higher-is-better, not both');
  }
  const direction = values['lower-is-better']
    ? 'lower'
    : values['higher-is-better']
      ? 'higher'
      : undefined;

  const store = await RunStore.open(storeDir(values.store, context.cwd), { readOnly: true });
  let comparison: Comparison;
  try {
    comparison = compareVersions(store, positionals[0], positionals[1], values.metric, {
      direction,
    });
  } finally {
    await store.close();
  }

  context.stdout.write(
    values.json ? `${JSON.stringify(comparison, null, 2)}\n` : table(comparison),
  );
  return comparison.firstIsAtLeastAsGood ? ExitCode.ok : 1;
}

function table(comparison: Comparison): string {
  const how = comparison.directionFromName ? 'by its name' : 'as asked';
  const rows = [comparison.first, comparison.second].map(row);
  const width = Math.max(...rows.map(([label]) => label.length));
  const verdict = comparison.firstIsAtLeastAsGood
    ? 'The first is at least as good as the second.'
    : 'The second is better than the first.';
  return [
    `${comparison.metric} (${comparison.direction} is better, ${how}):`,
    ...rows.map(([label, value, from]) => `  ${label.padEnd(width)}  ${value}  ${from}`),
    verdict,
    '',
  ].join('\n');
}

function row(reading: MetricReading): [string, string, string] {
  const label =
    reading.canonicalUri === reading.uri ? reading.uri : `${reading.uri} (${reading.canonicalUri})`;
  const from = { evaluation: 'evaluation run', training: 'training run', run: 'run' }[reading.from];
  return [label, String(reading.value), `from ${from} ${reading.runId}`];
}
