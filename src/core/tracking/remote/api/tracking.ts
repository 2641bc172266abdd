import type {
  DatasetInput,
  Experiment,
  Metric,
  Page,
  Run,
  RunInfo,
  RunStatus,
  Tag,
  ViewType,
} from '../../../store/entities';
import { decodeExperiment, decodeMetric, decodeRun } from '../decode';
import { allPages, orMissing, type Caller, type CallOptions } from './caller';

type Json = Record<string, unknown>;

export interface ExperimentSearch {
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

/** MLflow's experiments endpoints. */
export class ExperimentsApi {
  constructor(private readonly caller: Caller) {}

  async search(search: ExperimentSearch = {}): Promise<Page<Experiment>> {
    const body = await this.caller.call<Json>('POST', 'experiments/search', {
      filter: search.filter,
      view_type: search.viewType,
      max_results: search.maxResults,
      order_by: search.orderBy,
      page_token: search.pageToken,
    });
    return page(body, 'experiments', decodeExperiment);
  }

  all(search: Omit<ExperimentSearch, 'pageToken'> = {}): AsyncGenerator<Experiment> {
    return allPages((pageToken) => this.search({ ...search, pageToken }));
  }

  async get(experimentId: string): Promise<Experiment> {
    const body = await this.caller.call<Json>('GET', 'experiments/get', {
      experiment_id: experimentId,
    });
    return decodeExperiment(body.experiment as Json);
  }

  /** The experiment of that name, deleted ones included, or undefined. */
  async getByName(name: string): Promise<Experiment | undefined> {
    const request = this.caller.call<Json>('GET', 'experiments/get-by-name', {
      experiment_name: name,
    });
    const body = await orMissing(request);
    return body ? decodeExperiment(body.experiment as Json) : undefined;
  }

  /** Not idempotent: a second create of the same name fails with RESOURCE_ALREADY_EXISTS. */
  async create(name: string, tags: Tag[] = []): Promise<string> {
    const body = await this.caller.call<Json>(
      'POST',
      'experiments/create',
      { name, tags },
      { idempotent: false },
    );
    return String(body.experiment_id);
  }

  async setTag(experimentId: string, tag: Tag): Promise<void> {
    await this.caller.call('POST', 'experiments/set-experiment-tag', {
      experiment_id: experimentId,
      key: tag.key,
      value: tag.value,
    });
  }
}

export interface RunSearch {
  experimentIds: string[];
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface CreateRun {
  experimentId: string;
  runName?: string;
  startTime?: number | null;
  tags?: Tag[];
}

export interface LogBatch {
  metrics?: Metric[];
  params?: Tag[];
  tags?: Tag[];
}

/** MLflow's runs and metrics endpoints. */
export class RunsApi {
  constructor(private readonly caller: Caller) {}

  async search(search: RunSearch): Promise<Page<Run>> {
    const body = await this.caller.call<Json>('POST', 'runs/search', {
      experiment_ids: search.experimentIds,
      filter: search.filter,
      run_view_type: search.viewType,
      max_results: search.maxResults,
      order_by: search.orderBy,
      page_token: search.pageToken,
    });
    return page(body, 'runs', decodeRun);
  }

  all(search: Omit<RunSearch, 'pageToken'>): AsyncGenerator<Run> {
    return allPages((pageToken) => this.search({ ...search, pageToken }));
  }

  async get(runId: string): Promise<Run> {
    const body = await this.caller.call<Json>('GET', 'runs/get', { run_id: runId });
    return decodeRun(body.run as Json);
  }

  /** The run, or undefined when the server has no run of that id. */
  find(runId: string): Promise<Run | undefined> {
    return orMissing(this.get(runId));
  }

  /** Not idempotent: each call makes a new run. Give it a tag to find it by after a failure. */
  async create(request: CreateRun): Promise<Run> {
    const body = await this.caller.call<Json>(
      'POST',
      'runs/create',
      {
        experiment_id: request.experimentId,
        run_name: request.runName || undefined,
        start_time: request.startTime ?? undefined,
        tags: request.tags ?? [],
      },
      { idempotent: false },
    );
    return decodeRun(body.run as Json);
  }

  async update(
    runId: string,
    update: { status?: RunStatus; endTime?: number | null; runName?: string },
  ): Promise<RunInfo> {
    const body = await this.caller.call<Json>('POST', 'runs/update', {
      run_id: runId,
      status: update.status,
      end_time: update.endTime ?? undefined,
      run_name: update.runName,
    });
    return decodeRun({ info: body.run_info }).info;
  }

  async setTag(runId: string, tag: Tag): Promise<void> {
    await this.caller.call('POST', 'runs/set-tag', { run_id: runId, ...tag });
  }

  /**
   * MLflow's log-batch. Params are write-once with the same value and tags are overwritten, so a
   * batch of those may be sent twice; metric points are appended, so a batch holding any is not
   * retried after a failure that leaves its effect unknown (the caller checks what arrived).
   */
  async logBatch(runId: string, batch: LogBatch, options: CallOptions = {}): Promise<void> {
    const metrics = batch.metrics ?? [];
    await this.caller.call(
      'POST',
      'runs/log-batch',
      {
        run_id: runId,
        metrics: metrics.map((m) => ({
          key: m.key,
          value: m.value,
          timestamp: m.timestamp,
          step: m.step,
        })),
        params: batch.params ?? [],
        tags: batch.tags ?? [],
      },
      { idempotent: options.idempotent ?? metrics.length === 0 },
    );
  }

  /** Logging the same dataset input again changes nothing, in MLflow as here. */
  async logInputs(runId: string, inputs: DatasetInput[]): Promise<void> {
    await this.caller.call('POST', 'runs/log-inputs', {
      run_id: runId,
      datasets: inputs.map(({ tags, dataset }) => ({
        tags,
        dataset: {
          name: dataset.name,
          digest: dataset.digest,
          source_type: dataset.sourceType,
          source: dataset.source,
          schema: dataset.schema,
          profile: dataset.profile,
        },
      })),
    });
  }

  async historyPage(
    runId: string,
    key: string,
    pageToken?: string,
    maxResults = 25_000,
  ): Promise<Page<Metric>> {
    const body = await this.caller.call<Json>('GET', 'metrics/get-history', {
      run_id: runId,
      metric_key: key,
      max_results: maxResults,
      page_token: pageToken,
    });
    return page(body, 'metrics', decodeMetric);
  }

  /** Every point of one metric, page after page (servers without paging send one page). */
  history(runId: string, key: string, pageSize = 25_000): AsyncGenerator<Metric> {
    return allPages((token) => this.historyPage(runId, key, token, pageSize));
  }
}

function page<T>(body: Json, field: string, decode: (json: Json) => T): Page<T> {
  const items = Array.isArray(body[field]) ? (body[field] as Json[]).map(decode) : [];
  const token = typeof body.next_page_token === 'string' ? body.next_page_token : undefined;
  return token ? { items, nextPageToken: token } : { items };
}

export { page as decodePage };
