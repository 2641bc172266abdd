import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../errors';
import { storeDir } from '../storeDir';
import { RunStore } from '../../core/store/store';
import type { Run } from '../../core/store/entities';
import { runJson, stringifyMlflow } from '../../core/tracking/wire';

const usage = `Usage: model-factory runs [--store DIR] [--experiment NAME] [--filter EXPR]
                          [--order-by EXPR]... [--max N] [--deleted] [--json]

Lists runs, newest first. --filter takes MLflow's run filter syntax, with OR and parentheses
too (metrics.rmse < 1 and params.model = 'xgb'); --order-by takes MLflow's order_by terms
(metrics.rmse ASC) and may be repeated. With --json it prints the body of MLflow's runs/search
response. The store is read as its owner last acknowledged it, without taking it over.`;

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list and search the runs in a store',
  usage,
  run: listRuns,
};

async function listRuns(context: CommandContext): Promise<number> {
  const { values } = parseArgs({
    args: context.args,
    options: {
      store: { type: 'string' },
      experiment: { type: 'string' },
      filter: { type: 'string' },
      'order-by': { type: 'string', multiple: true },
      max: { type: 'string' },
      deleted: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const maxResults = values.max === undefined ? 1000 : Number(values.max);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50000) {
    throw new UsageError(`--max takes a whole number from 1 to 50000, not '${values.max}'`);
  }

  const store = await RunStore.open(storeDir(values.store, context.cwd), { readOnly: true });
  try {
    const experimentIds = values.experiment
      ? [store.getExperimentByName(values.experiment).experimentId]
      : store.searchExperiments({ maxResults: 50000 }).items.map((e) => e.experimentId);
    const page = store.searchRuns({
      experimentIds,
      filter: values.filter,
      orderBy: values['order-by'],
      maxResults,
      viewType: values.deleted ? 'ALL' : 'ACTIVE_ONLY',
    });
    if (values.json) {
      const body = { runs: page.items.map(runJson), next_page_token: page.nextPageToken };
      context.stdout.write(`${stringifyMlflow(body, 2)}\n`);
    } else {
      context.stdout.write(formatTable(page.items, page.nextPageToken !== undefined));
    }
  } finally {
    await store.close();
  }
  return 0;
}

const MAX_METRIC_COLUMNS = 6;

/** A plain-text table: fixed columns, then the most common metrics' latest values. */
export function formatTable(runs: Run[], more: boolean): string {
  if (runs.length === 0) return 'No runs match.\n';
  const counts = new Map<string, number>();
  for (const run of runs) {
    for (const m of run.data.metrics) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  }
  const metricKeys = [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_METRIC_COLUMNS);
  const header = ['RUN ID', 'NAME', 'STATUS', 'STARTED', 'DURATION', ...metricKeys.map(([k]) => k)];
  const rows = runs.map((run) => {
    const metrics = new Map(run.data.metrics.map((m) => [m.key, m.value]));
    return [
      run.info.runId,
      run.info.runName,
      run.info.status,
      run.info.startTime === null ? '' : new Date(run.info.startTime).toISOString().slice(0, 19),
      duration(run.info.startTime, run.info.endTime),
      ...metricKeys.map(([k]) => (metrics.has(k) ? formatNumber(metrics.get(k)!) : '')),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const footer = more ? `(more runs match: raise --max or narrow --filter)\n` : '';
  return `${[line(header), ...rows.map(line)].join('\n')}\n${footer}`;
}

function duration(start: number | null, end: number | null): string {
  if (start === null || end === null) return '';
  const seconds = Math.max(0, Math.round((end - start) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
}
