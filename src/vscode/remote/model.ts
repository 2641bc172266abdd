import type {
  Experiment,
  ModelVersion,
  Page,
  RegisteredModel,
  Run,
} from '../../core/store/entities';
import { filterString } from '../../core/tracking/remote/api/caller';
import type { RegistrySearch } from '../../core/tracking/remote/api/registry';
import type { ExperimentSearch, RunSearch } from '../../core/tracking/remote/api/tracking';
import { escapeMarkdown as escape, messageNode, type NodeData, type ViewNode } from '../views/node';
import { RemoteCommand } from './ids';
import { PagedLists, type Paged } from './paging';
import { modelNode, versionNode, withSourceRuns, type VersionRow } from './registryNodes';
import { experimentNode, runNode } from './trackingNodes';

/**
 * What the MLflow Servers view shows, as ViewNodes read through each server's REST API: the
 * connections, each with two groups: Experiments (then their runs) and Models (registered
 * models, then their versions), every list a page at a time. Pages are cached per connection
 * until a refresh, so expanding and collapsing costs no request. It does not import `vscode`;
 * view.ts adapts it to a TreeView.
 */

/** One connection as the setting lists it: no secret here. */
export interface ServerEntry {
  name: string;
  url: string;
}

/** The part of MlflowClient the view reads with. */
export interface RemoteBrowser {
  experiments: { search(search: ExperimentSearch): Promise<Page<Experiment>> };
  runs: {
    search(search: RunSearch): Promise<Page<Run>>;
    find(runId: string): Promise<Run | undefined>;
  };
  registry: {
    searchModels(search: RegistrySearch): Promise<Page<RegisteredModel>>;
    searchVersions(search: RegistrySearch): Promise<Page<ModelVersion>>;
    getModel(name: string): Promise<RegisteredModel | undefined>;
  };
}

export type BrowserOf = (server: ServerEntry) => Promise<RemoteBrowser>;

type MoreData = Extract<NodeData, { kind: 'remoteMore' }>;
type Group = Extract<NodeData, { kind: 'remoteGroup' }>['group'];

export const PAGE_SIZES = { experiments: 100, runs: 50, models: 100, versions: 50 };

/** Where a list sits in a connection's cache. */
const keys = {
  experiments: 'experiments',
  runs: (experimentId: string) => `runs:${experimentId}`,
  models: 'models',
  versions: (name: string) => `versions:${name}`,
};

export class RemoteTreeModel {
  /** modelFactory.experiments.keyMetric; empty shows each run's first listed metric. */
  keyMetric = '';
  private readonly cache = new Map<string, PagedLists>();
  private readonly pageSizes: typeof PAGE_SIZES;

  constructor(
    private readonly servers: () => ServerEntry[],
    private readonly browserOf: BrowserOf,
    private readonly now: () => number = Date.now,
    pageSizes: Partial<typeof PAGE_SIZES> = {},
  ) {
    this.pageSizes = { ...PAGE_SIZES, ...pageSizes };
  }

  async childrenOf(parent?: ViewNode): Promise<ViewNode[]> {
    const data = parent?.data;
    if (!data) return this.servers().map(serverNode);
    const server = this.server((data as { server?: string }).server);
    if (!server) return [];

    try {
      return await this.read(server, data);
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
  }

  /**
   * Reads the next page of the list the "Show more" item ends. A failure throws, for the command
   * to report, and keeps what was shown, so the item can try again.
   */
  async showMore(data: MoreData): Promise<void> {
    const server = this.server(data.server);
    if (!server || !this.cache.has(server.name)) return;
    const lists = this.lists(server);
    const browser = await this.browserOf(server);

    if (data.model !== undefined) {
      const name = data.model;
      return lists.more(keys.versions(name), (token) => this.readVersions(browser, name, token));
    }
    if (data.models) return lists.more(keys.models, (token) => this.readModels(browser, token));
    const id = data.experimentId;
    if (id !== undefined) return lists.more(keys.runs(id), (t) => this.readRuns(browser, id, t));
    return lists.more(keys.experiments, (token) => this.readExperiments(browser, token));
  }

  /** Forgets what was read from one server, or from all: the next expansion reads again. */
  refresh(server?: string): void {
    if (server === undefined) this.cache.clear();
    else this.cache.delete(server);
  }

  /**
   * After a change to one registered model: its versions are read again on next expansion, and
   * its row takes the model as the server now has it (aliases, tags). A model the list has not
   * read yet (a new one) makes the list read again.
   */
  async refreshModel(serverName: string, name: string): Promise<void> {
    const server = this.server(serverName);
    const lists = this.cache.get(serverName);
    if (!server || !lists) return;
    lists.forget(keys.versions(name));
    const shown = await lists.peek<RegisteredModel>(keys.models);
    if (!shown) return;

    const browser = await this.browserOf(server);
    const model = await browser.registry.getModel(name);
    if (model && shown.items.some((item) => item.name === name)) {
      await lists.replace<RegisteredModel>(keys.models, (item) => item.name === name, model);
    } else {
      lists.forget(keys.models);
    }
  }

  private server(name: string | undefined): ServerEntry | undefined {
    return this.servers().find((entry) => entry.name === name);
  }

  private lists(server: ServerEntry): PagedLists {
    let lists = this.cache.get(server.name);
    if (!lists) {
      lists = new PagedLists();
      this.cache.set(server.name, lists);
    }
    return lists;
  }

  private read(server: ServerEntry, data: NodeData): Promise<ViewNode[]> | ViewNode[] {
    switch (data.kind) {
      case 'remoteServer':
        return [groupNode(server, 'experiments'), groupNode(server, 'models')];
      case 'remoteGroup':
        return data.group === 'experiments' ? this.experiments(server) : this.models(server);
      case 'remoteExperiment':
        return this.runs(server, data.experimentId);
      case 'remoteModel':
        return this.versions(server, data.name);
      default:
        return [];
    }
  }

  /** A cached list's nodes, with a "Show more" item while the server has more. */
  private async page<T>(
    server: ServerEntry,
    key: string,
    read: (browser: RemoteBrowser) => Promise<Paged<T>>,
    node: (item: T) => ViewNode,
    more: { data: MoreData; label: string; empty: string },
  ): Promise<ViewNode[]> {
    const list = await this.lists(server).get(key, async () => read(await this.browserOf(server)));
    const nodes = list.items.map(node);
    if (list.nextPageToken) nodes.push(moreNode(more.data, more.label, list.items.length));
    if (nodes.length > 0) return nodes;
    return [messageNode(`remote:${server.name}:empty:${key}`, more.empty)];
  }

  private experiments(server: ServerEntry): Promise<ViewNode[]> {
    return this.page(
      server,
      keys.experiments,
      (browser) => this.readExperiments(browser),
      (experiment: Experiment) => experimentNode(server, experiment, this.now()),
      {
        data: { kind: 'remoteMore', server: server.name },
        label: 'Show more experiments',
        empty: 'No experiments',
      },
    );
  }

  private runs(server: ServerEntry, experimentId: string): Promise<ViewNode[]> {
    return this.page(
      server,
      keys.runs(experimentId),
      (browser) => this.readRuns(browser, experimentId),
      (run: Run) => runNode(server, run, this.now(), this.keyMetric),
      {
        data: { kind: 'remoteMore', server: server.name, experimentId },
        label: 'Show more runs',
        empty: 'No runs',
      },
    );
  }

  private models(server: ServerEntry): Promise<ViewNode[]> {
    return this.page(
      server,
      keys.models,
      (browser) => this.readModels(browser),
      (model: RegisteredModel) => modelNode(server, model, this.now()),
      {
        data: { kind: 'remoteMore', server: server.name, models: true },
        label: 'Show more models',
        empty: 'No registered models',
      },
    );
  }

  private versions(server: ServerEntry, name: string): Promise<ViewNode[]> {
    return this.page(
      server,
      keys.versions(name),
      (browser) => this.readVersions(browser, name),
      (row: VersionRow) => versionNode(server, row, this.now()),
      {
        data: { kind: 'remoteMore', server: server.name, model: name },
        label: 'Show more versions',
        empty: 'No versions',
      },
    );
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

  private readModels(browser: RemoteBrowser, pageToken?: string) {
    const maxResults = this.pageSizes.models;
    return browser.registry.searchModels({ maxResults, pageToken, orderBy: ['name ASC'] });
  }

  /** A page of versions, newest first, each with its source run (read once per run). */
  private async readVersions(browser: RemoteBrowser, name: string, pageToken?: string) {
    const page = await browser.registry.searchVersions({
      filter: `name = ${filterString(name)}`,
      maxResults: this.pageSizes.versions,
      orderBy: ['version_number DESC'],
      pageToken,
    });
    return { ...page, items: await withSourceRuns(browser, page.items) };
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

function groupNode(server: ServerEntry, group: Group): ViewNode {
  const experiments = group === 'experiments';
  return {
    id: `remote:${server.name}:group:${group}`,
    label: experiments ? 'Experiments' : 'Models',
    tooltip: experiments
      ? `The experiments on ${escape(server.url)}, then their runs`
      : `The registered models on ${escape(server.url)}, then their versions`,
    contextValue: experiments ? 'remoteGroup.experiments' : 'remoteGroup.models',
    icon: { id: experiments ? 'beaker' : 'package' },
    collapsible: 'collapsed',
    data: { kind: 'remoteGroup', server: server.name, group },
  };
}

function moreNode(data: MoreData, label: string, shown: number): ViewNode {
  // Experiment ids hold no @, so the registry's lists cannot take an experiment's id.
  const list =
    data.model !== undefined
      ? `@versions:${JSON.stringify([data.model])}`
      : data.models
        ? '@models'
        : (data.experimentId ?? '');
  return {
    id: `remote:${data.server}:more:${list}`,
    label,
    description: `${shown} shown`,
    contextValue: 'more',
    icon: { id: 'ellipsis' },
    collapsible: 'none',
    command: { command: RemoteCommand.showMore, title: 'Show More', arguments: [data] },
    data,
  };
}
