import type { Experiment, Page, Run, RunStatus } from '../../core/store/entities';
import type { ExperimentSearch, RunSearch } from '../../core/tracking/remote/api/tracking';
import { runTooltip } from '../experiments/summary';
import {
  ago,
  escapeMarkdown as escape,
  formatMetric,
  messageNode,
  type NodeData,
  type ViewNode,
} from '../views/node';
import { RemoteCommand } from './ids';

/**
 * What the MLflow Servers view shows, as ViewNodes read through each server's REST API: the
 * connections, then their experiments, then runs, a page at a time. Pages are cached per
 * connection until a refresh, so expanding and collapsing costs no request. It does not import
 * `vscode`; view.ts adapts it to a TreeView.
 */

/** One connection as the setting lists it: no secret here. */
export interface ServerEntry {
  name: string;
  url: string;
}

/** The part of MlflowClient the view reads with. */
export interface RemoteBrowser {
  experiments: { search(search: ExperimentSearch): Promise<Page<Experiment>> };
  runs: { search(search: RunSearch): Promise<Page<Run>> };
}

export type BrowserOf = (server: ServerEntry) => Promise<RemoteBrowser>;

type MoreData = Extract<NodeData, { kind: 'remoteMore' }>;

export const PAGE_SIZES = { experiments: 100, runs: 50 };

/** A list read page by page: what has been read, and the token of the next page. */
interface Paged<T> {
  items: T[];
  nextPageToken?: string;
}

interface ServerCache {
  experiments?: Promise<Paged<Experiment>>;
  runs: Map<string, Promise<Paged<Run>>>;
}

const statusIcons: Record<RunStatus, ViewNode['icon']> = {
  RUNNING: { id: 'sync~spin' },
  FINISHED: { id: 'pass', color: 'charts.green' },
  FAILED: { id: 'error', color: 'charts.red' },
  KILLED: { id: 'circle-slash' },
  SCHEDULED: { id: 'clock' },
};

export class RemoteTreeModel {
  /** modelFactory.experiments.keyMetric; empty shows each run's first listed metric. */
  keyMetric = '';
  private readonly cache = new Map<string, ServerCache>();

  constructor(
    private readonly servers: () => ServerEntry[],
    private readonly browserOf: BrowserOf,
    private readonly now: () => number = Date.now,
    private readonly pageSizes = PAGE_SIZES,
  ) {}

  async childrenOf(parent?: ViewNode): Promise<ViewNode[]> {
    const data = parent?.data;
    if (!data) return this.servers().map(serverNode);
    const server = this.servers().find(
      (entry) => entry.name === (data as { server?: string }).server,
    );
    if (!server) return [];

    try {
      if (data.kind === 'remoteServer') return await this.experiments(server);
      if (data.kind === 'remoteExperiment') return await this.runs(server, data.experimentId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return [
        messageNode(
          `remote:${server.name}:error:${parent!.id}`,
          `Could not read ${server.url}: ${reason}`,
          'Refresh the view to try again, or check the connection with "Connect to MLflow Server".',
        ),
      ];
    }
    return [];
  }

  /**
   * Reads the next page of the list the "Show more" item ends. A failure throws, for the command
   * to report, and keeps what was shown, so the item can try again.
   */
  async showMore(data: MoreData): Promise<void> {
    const server = this.servers().find((entry) => entry.name === data.server);
    const cached = this.cache.get(data.server);
    if (!server || !cached) return;

    const browser = await this.browserOf(server);
    if (data.experimentId === undefined) {
      const current = await cached.experiments;
      if (!current?.nextPageToken) return;
      const page = await this.readExperiments(browser, current.nextPageToken);
      cached.experiments = Promise.resolve(appended(current, page));
      return;
    }
    const current = await cached.runs.get(data.experimentId);
    if (!current?.nextPageToken) return;
    const page = await this.readRuns(browser, data.experimentId, current.nextPageToken);
    cached.runs.set(data.experimentId, Promise.resolve(appended(current, page)));
  }

  /** Forgets what was read from one server, or from all: the next expansion reads again. */
  refresh(server?: string): void {
    if (server === undefined) this.cache.clear();
    else this.cache.delete(server);
  }

  private serverCache(server: ServerEntry): ServerCache {
    let cached = this.cache.get(server.name);
    if (!cached) {
      cached = { runs: new Map() };
      this.cache.set(server.name, cached);
    }
    return cached;
  }

  private async experiments(server: ServerEntry): Promise<ViewNode[]> {
    const cached = this.serverCache(server);
    cached.experiments ??= this.browserOf(server).then((browser) => this.readExperiments(browser));
    const list = await forgetOnFailure(cached.experiments, () => (cached.experiments = undefined));

    const nodes = list.items.map((experiment) => this.experimentNode(server, experiment));
    if (list.nextPageToken) nodes.push(moreNode(server, undefined, list.items.length));
    if (nodes.length === 0) return [messageNode(`remote:${server.name}:empty`, 'No experiments')];
    return nodes;
  }

  private async runs(server: ServerEntry, experimentId: string): Promise<ViewNode[]> {
    const cached = this.serverCache(server);
    let request = cached.runs.get(experimentId);
    if (!request) {
      request = this.browserOf(server).then((browser) => this.readRuns(browser, experimentId));
      cached.runs.set(experimentId, request);
    }
    const list = await forgetOnFailure(request, () => cached.runs.delete(experimentId));

    const nodes = list.items.map((run) => this.runNode(server, run));
    if (list.nextPageToken) nodes.push(moreNode(server, experimentId, list.items.length));
    if (nodes.length === 0) {
      return [messageNode(`remote:${server.name}:empty:${experimentId}`, 'No runs')];
    }
    return nodes;
  }

  private readExperiments(browser: RemoteBrowser, pageToken?: string) {
    const maxResults = this.pageSizes.experiments;
    return browser.experiments.search({ maxResults, pageToken, orderBy: ['name ASC'] });
  }

  private readRuns(browser: RemoteBrowser, experimentId: string, pageToken?: string) {
    const maxResults = this.pageSizes.runs;
    // FIXME: runs list flat, not nested under their parent runs as in the Experiments view, since
    // nesting would cost a search per run; a user sees child runs beside their parents.
    return browser.runs.search({ experimentIds: [experimentId], maxResults, pageToken });
  }

  private experimentNode(server: ServerEntry, experiment: Experiment): ViewNode {
    const { experimentId, name } = experiment;
    return {
      id: `remote:${server.name}:experiment:${experimentId}`,
      label: name,
      description: ago(experiment.lastUpdateTime ?? experiment.creationTime, this.now()),
      tooltip: `**${escape(name)}** on ${escape(server.url)}\n\nID ${escape(experimentId)}`,
      contextValue: 'remoteExperiment',
      icon: { id: 'beaker' },
      collapsible: 'collapsed',
      data: { kind: 'remoteExperiment', server: server.name, experimentId, name },
    };
  }

  private runNode(server: ServerEntry, run: Run): ViewNode {
    const { info } = run;
    const node: ViewNode = {
      id: `remote:${server.name}:run:${info.runId}`,
      label: info.runName || info.runId.slice(0, 8),
      description: this.runDescription(run),
      tooltip: runTooltip(run, this.now()),
      contextValue: 'remoteRun',
      icon: statusIcons[info.status] ?? { id: 'circle-outline' },
      collapsible: 'none',
      data: {
        kind: 'remoteRun',
        server: server.name,
        runId: info.runId,
        experimentId: info.experimentId,
        name: info.runName,
        status: info.status,
      },
    };
    node.command = { command: RemoteCommand.openRun, title: 'Open Run', arguments: [node] };
    return node;
  }

  /** The key metric (or the first the server lists), then how long ago the run started. */
  private runDescription(run: Run): string {
    const metrics = run.data.metrics;
    const metric = this.keyMetric ? metrics.find((m) => m.key === this.keyMetric) : metrics[0];
    const parts = [
      metric ? `${metric.key} ${formatMetric(metric.value)}` : '',
      ago(run.info.startTime, this.now()),
    ];
    return parts.filter(Boolean).join(' · ');
  }
}

function serverNode(server: ServerEntry): ViewNode {
  return {
    id: `remote:${server.name}`,
    label: server.name,
    description: server.name === server.url ? undefined : server.url,
    tooltip: `**${escape(server.name)}**\n\nMLflow tracking server at ${escape(server.url)}`,
    contextValue: 'remoteServer',
    icon: { id: 'server' },
    collapsible: 'collapsed',
    data: { kind: 'remoteServer', server: server.name, url: server.url },
  };
}

function moreNode(server: ServerEntry, experimentId: string | undefined, shown: number): ViewNode {
  const data: MoreData = { kind: 'remoteMore', server: server.name, experimentId };
  return {
    id: `remote:${server.name}:more:${experimentId ?? ''}`,
    label: experimentId === undefined ? 'Show more experiments' : 'Show more runs',
    description: `${shown} shown`,
    contextValue: 'more',
    icon: { id: 'ellipsis' },
    collapsible: 'none',
    command: { command: RemoteCommand.showMore, title: 'Show More', arguments: [data] },
    data,
  };
}

/** The list with the next page's items after it, and that page's token. */
function appended<T>(current: Paged<T>, page: Paged<T>): Paged<T> {
  return { items: [...current.items, ...page.items], nextPageToken: page.nextPageToken };
}

/** A failed read is not cached, so the next expansion or refresh tries again. */
async function forgetOnFailure<T>(request: Promise<T>, forget: () => void): Promise<T> {
  try {
    return await request;
  } catch (error) {
    forget();
    throw error;
  }
}
