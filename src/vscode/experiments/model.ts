import type { Experiment, Run, RunStatus, ViewType } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import type { StoreState } from '../tracking';
import {
  ago,
  escapeMarkdown as escape,
  formatMetric,
  messageNode,
  type NodeData,
  type ViewNode,
} from '../views/node';
import { ExperimentCommand } from './ids';
import {
  experimentStats,
  firstMetrics,
  parentsAmong,
  PARENT_RUN_TAG,
  type ExperimentStats,
} from './stats';
import { runTooltip } from './summary';

/**
 * What the Experiments view shows, as ViewNodes built from the store: experiments, then their
 * runs, nested under their parent runs, one page at a time. It does not import `vscode`; view.ts
 * adapts it to a TreeView.
 */

export const PAGE_SIZE = 200;

/** By a metric, or by start time when `metric` is absent. */
export interface RunSort {
  metric?: string;
  ascending: boolean;
}

export interface RunQuery {
  /** MLflow's run filter syntax; empty shows every run. */
  filter: string;
  /** Absent: newest first. */
  sort?: RunSort;
  showDeleted: boolean;
}

export interface StoreSource {
  state: StoreState;
  store: RunStore | undefined;
}

type RunData = Extract<NodeData, { kind: 'run' }>;
type MoreData = Extract<NodeData, { kind: 'more' }>;

/** A run's status as an icon; the servers view's runs show theirs the same way. */
export const statusIcons: Record<RunStatus, ViewNode['icon']> = {
  RUNNING: { id: 'sync~spin' },
  FINISHED: { id: 'pass', color: 'charts.green' },
  FAILED: { id: 'error', color: 'charts.red' },
  KILLED: { id: 'circle-slash' },
  SCHEDULED: { id: 'clock' },
};

const stateMessages: Partial<Record<StoreState, [string, string]>> = {
  shared: [
    'This store is open in another VS Code window; its runs show there',
    'One window owns a run store at a time. Runs logged here still reach it through its server.',
  ],
  untrusted: [
    'Trust this workspace to see its runs',
    'In a restricted workspace Model Factory opens no store and starts no tracking server.',
  ],
  failed: [
    'The run store could not be opened; see the log',
    'Run "Model Factory: Show Log" for the reason, or set modelFactory.store.path.',
  ],
};

export function orderBy(sort: RunSort | undefined): string[] {
  if (!sort) return [];
  const direction = sort.ascending ? 'ASC' : 'DESC';
  return [sort.metric ? `metrics.\`${sort.metric}\` ${direction}` : `start_time ${direction}`];
}

export class ExperimentsModel {
  query: RunQuery = { filter: '', showDeleted: false };
  /** modelFactory.experiments.keyMetric; empty means each run's first logged metric. */
  keyMetric = '';
  /** The experiment new runs go to (by name, as MLFLOW_EXPERIMENT_NAME names it). */
  activeExperiment: string | undefined;
  /** How many runs each list shows, by pageKey; "Show more" raises it by a page. */
  private readonly limits = new Map<string, number>();
  /** A run's first metric never changes once logged, so it is looked up once. */
  private readonly firstMetricOf = new Map<string, string>();

  constructor(
    private readonly source: () => StoreSource,
    private readonly now: () => number = Date.now,
  ) {}

  childrenOf(parent?: ViewNode): ViewNode[] {
    const { state, store } = this.source();
    const message = stateMessages[state];
    if (message) return parent ? [] : [messageNode(`message:${state}`, ...message)];
    if (!store) return [];

    const data = parent?.data;
    if (!data) return this.experiments(store);
    if (data.kind === 'experiment') return this.runs(store, data.experimentId);
    if (data.kind === 'run') return this.runs(store, data.experimentId, data.runId);
    return [];
  }

  /** A new filter, sort or deleted toggle starts every list again at its first page. */
  setQuery(query: RunQuery): void {
    this.query = query;
    this.limits.clear();
  }

  showMore(data: MoreData): void {
    this.limits.set(pageKey(data), data.offset + PAGE_SIZE);
  }

  private get viewType(): ViewType {
    return this.query.showDeleted ? 'ALL' : 'ACTIVE_ONLY';
  }

  private experiments(store: RunStore): ViewNode[] {
    const stats = experimentStats(store, this.query.showDeleted);
    const { items } = store.searchExperiments({
      viewType: this.viewType,
      orderBy: ['name ASC'],
      maxResults: 1000,
    });
    // A fresh store holds only the Default experiment: the welcome content says more than it.
    const untouched = stats.size === 0 && items.every((e) => e.experimentId === '0');
    if (untouched) return [];
    return items.map((experiment) =>
      this.experimentNode(experiment, stats.get(experiment.experimentId)),
    );
  }

  private experimentNode(experiment: Experiment, stats: ExperimentStats | undefined): ViewNode {
    const { experimentId, name } = experiment;
    const deleted = experiment.lifecycleStage === 'deleted';
    const active = !deleted && name === this.activeExperiment;
    const runs = stats?.runs ?? 0;
    const description = [
      deleted ? 'deleted' : active ? 'active' : '',
      `${runs} run${runs === 1 ? '' : 's'}`,
      ago(stats?.lastActivity ?? experiment.lastUpdateTime, this.now()),
    ];
    if (stats?.deleted) description[1] += ` (${stats.deleted} deleted)`;
    return {
      id: `experiment:${experimentId}`,
      label: name,
      description: description.filter(Boolean).join(' · '),
      tooltip: experimentTooltip(experiment, active),
      contextValue: deleted ? 'experiment.deleted' : active ? 'experiment.active' : 'experiment',
      icon: deleted ? { id: 'trash' } : { id: 'beaker', color: active ? 'charts.blue' : undefined },
      collapsible: runs > 0 ? 'collapsed' : 'none',
      data: { kind: 'experiment', experimentId, name, deleted },
    };
  }

  private runs(store: RunStore, experimentId: string, parentRunId?: string): ViewNode[] {
    // With a filter the matching runs list flat, so a matching child of a parent that does not
    // match still shows.
    const nested = this.query.filter.trim() === '';
    if (parentRunId && !nested) return [];
    const more: MoreData = { kind: 'more', experimentId, parentRunId, offset: 0 };
    const limit = this.limits.get(pageKey(more)) ?? PAGE_SIZE;

    const page = store.searchRuns({
      experimentIds: [experimentId],
      filter: nested ? nestingFilter(parentRunId) : this.query.filter,
      rootsOnly: nested && !parentRunId,
      orderBy: orderBy(this.query.sort),
      viewType: this.viewType,
      maxResults: limit,
    });
    const ids = page.items.map((run) => run.info.runId);
    const parents = nested ? parentsAmong(store, ids, this.query.showDeleted) : new Set<string>();
    this.learnFirstMetrics(store, page.items);

    const nodes = page.items.map((run) => this.runNode(run, parents.has(run.info.runId)));
    if (page.nextPageToken) nodes.push(moreNode({ ...more, offset: limit }));
    if (nodes.length === 0 && !parentRunId) {
      return [
        messageNode(
          `message:empty:${experimentId}`,
          nested ? 'No runs' : 'No runs match the filter',
        ),
      ];
    }
    return nodes;
  }

  private runNode(run: Run, hasChildren: boolean): ViewNode {
    const { info } = run;
    const deleted = info.lifecycleStage === 'deleted';
    const data: RunData = {
      kind: 'run',
      runId: info.runId,
      experimentId: info.experimentId,
      name: info.runName,
      deleted,
      status: info.status,
    };
    const node: ViewNode = {
      id: `run:${info.runId}`,
      label: info.runName || info.runId.slice(0, 8),
      description: this.runDescription(run),
      tooltip: runTooltip(run, this.now()),
      contextValue: deleted ? 'run.deleted' : `run.${info.status.toLowerCase()}`,
      icon: deleted ? { id: 'trash' } : statusIcons[info.status],
      collapsible: hasChildren ? 'collapsed' : 'none',
      data,
    };
    node.command = { command: ExperimentCommand.openRun, title: 'Open Run', arguments: [node] };
    return node;
  }

  /** The sort metric when sorting by one, else the key metric; then how long ago it started. */
  private runDescription(run: Run): string {
    const key = this.query.sort?.metric || this.keyMetric || this.firstMetricOf.get(run.info.runId);
    const metric = key ? run.data.metrics.find((m) => m.key === key) : undefined;
    return [
      run.info.lifecycleStage === 'deleted' ? 'deleted' : '',
      metric ? `${metric.key} ${formatMetric(metric.value)}` : '',
      ago(run.info.startTime, this.now()),
    ]
      .filter(Boolean)
      .join(' · ');
  }

  private learnFirstMetrics(store: RunStore, runs: Run[]): void {
    if (this.keyMetric) return;
    const unknown: string[] = [];
    for (const { info, data } of runs) {
      if (data.metrics.length === 0 || this.firstMetricOf.has(info.runId)) continue;
      // With one metric there is nothing to look up.
      if (data.metrics.length === 1) this.firstMetricOf.set(info.runId, data.metrics[0].key);
      else unknown.push(info.runId);
    }
    for (const [runId, key] of firstMetrics(store, unknown)) this.firstMetricOf.set(runId, key);
  }
}

/**
 * Under a run, the runs tagged with it as parent. At the top, every run (rootsOnly there lists
 * those whose parent is not in the experiment's listing, so none is lost).
 */
function nestingFilter(parentRunId: string | undefined): string {
  // Run ids are 32 hex characters (the store checked them), so quoting them is safe.
  return parentRunId ? `tags.\`${PARENT_RUN_TAG}\` = '${parentRunId}'` : '';
}

function pageKey(data: MoreData): string {
  return `${data.experimentId}/${data.parentRunId ?? ''}`;
}

function moreNode(data: MoreData): ViewNode {
  return {
    id: `more:${pageKey(data)}`,
    label: 'Show more runs',
    description: `${data.offset} shown`,
    contextValue: 'more',
    icon: { id: 'ellipsis' },
    collapsible: 'none',
    command: { command: ExperimentCommand.showMore, title: 'Show More', arguments: [data] },
    data,
  };
}

function experimentTooltip(experiment: Experiment, active: boolean): string {
  const tags = experiment.tags.filter((tag) => !tag.key.startsWith('mlflow.'));
  return [
    `**${escape(experiment.name)}**${active ? ' · new runs go here' : ''}`,
    '',
    `ID ${escape(experiment.experimentId)} · artifacts in ${escape(experiment.artifactLocation)}`,
    ...tags.map((tag) => `\n- ${escape(tag.key)}: ${escape(tag.value)}`),
  ].join('\n');
}
