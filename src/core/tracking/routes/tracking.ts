import { experimentRequests, metricRequests, runRequests } from '../../../protocol/tracking';
import { invalid } from '../../store/errors';
import { BATCH_BODY_LIMIT } from '../body';
import { listRunArtifacts } from '../artifacts';
import { experimentJson, metricJson, runInfoJson, runJson } from '../wire';
import { route, runIdOf, withToken, type Route } from './route';

const tags = (list: Array<{ key: string; value: string }>) =>
  list.map((t) => ({ key: t.key, value: t.value }));

const experimentRoutes: Route[] = [
  route('experiments/create', ['POST'], experimentRequests.create, (store, r) => ({
    experiment_id: store.createExperiment(r.name, r.artifact_location, tags(r.tags)),
  })),
  route('experiments/search', ['POST', 'GET'], experimentRequests.search, (store, r) => {
    const page = store.searchExperiments({
      filter: r.filter,
      orderBy: r.order_by,
      viewType: r.view_type,
      maxResults: r.max_results,
      pageToken: r.page_token,
    });
    return withToken({ experiments: page.items.map(experimentJson) }, page.nextPageToken);
  }),
  // Removed from MLflow 2, still sent by older clients.
  route('experiments/list', ['GET'], experimentRequests.search, (store, r) => {
    const page = store.searchExperiments({
      viewType: r.view_type,
      maxResults: r.max_results,
      pageToken: r.page_token,
    });
    return withToken({ experiments: page.items.map(experimentJson) }, page.nextPageToken);
  }),
  route('experiments/get', ['GET'], experimentRequests.get, (store, r) => ({
    experiment: experimentJson(store.getExperiment(r.experiment_id)),
  })),
  route('experiments/get-by-name', ['GET'], experimentRequests.getByName, (store, r) => ({
    experiment: experimentJson(store.getExperimentByName(r.experiment_name)),
  })),
  route('experiments/delete', ['POST'], experimentRequests.delete, (store, r) =>
    store.deleteExperiment(r.experiment_id),
  ),
  route('experiments/restore', ['POST'], experimentRequests.restore, (store, r) =>
    store.restoreExperiment(r.experiment_id),
  ),
  route('experiments/update', ['POST'], experimentRequests.update, (store, r) =>
    store.renameExperiment(r.experiment_id, r.new_name),
  ),
  route('experiments/set-experiment-tag', ['POST'], experimentRequests.setTag, (store, r) =>
    store.setExperimentTag(r.experiment_id, { key: r.key, value: r.value }),
  ),
  route('experiments/delete-experiment-tag', ['POST'], experimentRequests.deleteTag, (store, r) =>
    store.deleteExperimentTag(r.experiment_id, r.key),
  ),
  route('experiments/search-datasets', ['POST'], experimentRequests.searchDatasets, (store, r) => ({
    dataset_summaries: store.searchDatasets(r.experiment_ids),
  })),
];

const runRoutes: Route[] = [
  route('runs/create', ['POST'], runRequests.create, (store, r) => ({
    run: runJson(
      store.createRun({
        experimentId: r.experiment_id,
        runName: r.run_name,
        startTime: r.start_time,
        userId: r.user_id,
        tags: tags(r.tags),
      }),
    ),
  })),
  route('runs/update', ['POST'], runRequests.update, (store, r) => ({
    run_info: runInfoJson(
      store.updateRun(runIdOf(r), { status: r.status, endTime: r.end_time, runName: r.run_name }),
    ),
  })),
  route('runs/delete', ['POST'], runRequests.delete, (store, r) => store.deleteRun(r.run_id)),
  route('runs/restore', ['POST'], runRequests.restore, (store, r) => store.restoreRun(r.run_id)),
  route('runs/get', ['GET'], runRequests.get, (store, r) => ({
    run: runJson(store.getRun(runIdOf(r))),
  })),
  route('runs/search', ['POST'], runRequests.search, (store, r) => {
    const page = store.searchRuns({
      experimentIds: r.experiment_ids,
      filter: r.filter,
      viewType: r.run_view_type,
      maxResults: r.max_results,
      orderBy: r.order_by,
      pageToken: r.page_token,
    });
    return withToken({ runs: page.items.map(runJson) }, page.nextPageToken);
  }),
  route('runs/log-metric', ['POST'], runRequests.logMetric, (store, r) =>
    store.logMetric(runIdOf(r), {
      key: r.key,
      value: r.value as number,
      timestamp: r.timestamp,
      step: r.step,
    }),
  ),
  route('runs/log-parameter', ['POST'], runRequests.logParam, (store, r) =>
    store.logParam(runIdOf(r), { key: r.key, value: r.value }),
  ),
  route('runs/set-tag', ['POST'], runRequests.setTag, (store, r) =>
    store.setTag(runIdOf(r), { key: r.key, value: r.value }),
  ),
  route('runs/delete-tag', ['POST'], runRequests.deleteTag, (store, r) =>
    store.deleteTag(r.run_id, r.key),
  ),
  route(
    'runs/log-batch',
    ['POST'],
    runRequests.logBatch,
    (store, r) =>
      store.logBatch(runIdOf(r), {
        metrics: r.metrics.map((m) => ({ ...m, value: m.value as number })),
        params: r.params,
        tags: tags(r.tags),
      }),
    BATCH_BODY_LIMIT,
  ),
  route('runs/log-model', ['POST'], runRequests.logModel, (store, r) =>
    store.logModel(runIdOf(r), r.model_json),
  ),
  route('runs/log-inputs', ['POST'], runRequests.logInputs, (store, r) =>
    store.logInputs(
      r.run_id,
      r.datasets.map((d) => ({
        tags: tags(d.tags),
        dataset: {
          name: d.dataset.name,
          digest: d.dataset.digest,
          sourceType: d.dataset.source_type,
          source: d.dataset.source,
          schema: d.dataset.schema,
          profile: d.dataset.profile,
        },
      })),
    ),
  ),
  // MLflow 3 links a run to the logged models (models:/<model_id>) it produced. This store has no
  // logged models, so there is nothing to link to and nothing is kept: the request is checked as
  // MLflow checks it (the run exists and is active, every model has an id and a step) and answered
  // with {}, so mlflow 3 clients that send it at the end of log_model carry on. A run tag would
  // be a format no MLflow tool reads back.
  route('runs/outputs', ['POST'], runRequests.logOutputs, (store, r) => {
    const { info } = store.getRun(r.run_id);
    if (info.lifecycleStage !== 'active') {
      throw invalid(`The run ${r.run_id} must be in the 'active' state. Current state is deleted.`);
    }
  }),
];

const metricRoutes: Route[] = [
  route('metrics/get-history', ['GET'], metricRequests.getHistory, (store, r) => {
    const page = store.getMetricHistory({
      runId: runIdOf(r),
      metricKey: r.metric_key,
      maxResults: r.max_results,
      pageToken: r.page_token,
    });
    return withToken({ metrics: page.items.map(metricJson) }, page.nextPageToken);
  }),
  route(
    'metrics/get-history-bulk-interval',
    ['GET'],
    metricRequests.getHistoryBulkInterval,
    (store, r) => ({
      metrics: store
        .getMetricHistorySampled(r.run_ids, r.metric_key, {
          maxResults: r.max_results,
          startStep: r.start_step,
          endStep: r.end_step,
        })
        .map((m) => ({ ...metricJson(m), run_id: m.runId })),
    }),
  ),
  route('artifacts/list', ['GET'], metricRequests.listArtifacts, (store, r) => {
    const run = store.getRun(runIdOf(r));
    return listRunArtifacts(store.artifactsDir, run.info.artifactUri, r.path);
  }),
];

export const trackingRoutes: Route[] = [...experimentRoutes, ...runRoutes, ...metricRoutes];
