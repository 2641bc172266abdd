import { registryRequests as r } from '../../../protocol/tracking';
import { modelVersionJson, registeredModelJson } from '../wire';
import { route, withToken, type Route } from './route';

const tags = (list: Array<{ key: string; value: string }>) =>
  list.map((t) => ({ key: t.key, value: t.value }));

const modelRoutes: Route[] = [
  route('registered-models/create', ['POST'], r.createModel, (store, q) => ({
    registered_model: registeredModelJson(
      store.createRegisteredModel(q.name, tags(q.tags), q.description),
    ),
  })),
  route('registered-models/rename', ['POST'], r.renameModel, (store, q) => ({
    registered_model: registeredModelJson(store.renameRegisteredModel(q.name, q.new_name)),
  })),
  route('registered-models/update', ['PATCH'], r.updateModel, (store, q) => ({
    registered_model: registeredModelJson(store.updateRegisteredModel(q.name, q.description)),
  })),
  route('registered-models/delete', ['DELETE'], r.deleteModel, (store, q) =>
    store.deleteRegisteredModel(q.name),
  ),
  route('registered-models/get', ['GET'], r.getModel, (store, q) => ({
    registered_model: registeredModelJson(store.getRegisteredModel(q.name)),
  })),
  route('registered-models/search', ['GET'], r.searchModels, (store, q) => {
    const page = store.searchRegisteredModels({
      filter: q.filter,
      orderBy: q.order_by,
      maxResults: q.max_results,
      pageToken: q.page_token,
    });
    return withToken(
      { registered_models: page.items.map(registeredModelJson) },
      page.nextPageToken,
    );
  }),
  route('registered-models/get-latest-versions', ['POST', 'GET'], r.latestVersions, (store, q) => {
    const latest = store.getRegisteredModel(q.name).latestVersions;
    const wanted = q.stages?.map((s) => s.toLowerCase());
    return {
      model_versions: latest
        .filter(
          (v) => !wanted || wanted.length === 0 || wanted.includes(v.currentStage.toLowerCase()),
        )
        .map(modelVersionJson),
    };
  }),
  route('registered-models/set-tag', ['POST'], r.setModelTag, (store, q) =>
    store.setRegisteredModelTag(q.name, { key: q.key, value: q.value }),
  ),
  route('registered-models/delete-tag', ['DELETE'], r.deleteModelTag, (store, q) =>
    store.deleteRegisteredModelTag(q.name, q.key),
  ),
  route('registered-models/alias', ['POST'], r.setAlias, (store, q) =>
    store.setAlias(q.name, q.alias, q.version),
  ),
  route('registered-models/alias', ['DELETE'], r.deleteAlias, (store, q) =>
    store.deleteAlias(q.name, q.alias),
  ),
  route('registered-models/alias', ['GET'], r.getAlias, (store, q) => ({
    model_version: modelVersionJson(store.getModelVersionByAlias(q.name, q.alias)),
  })),
];

const versionRoutes: Route[] = [
  route('model-versions/create', ['POST'], r.createVersion, (store, q) => ({
    model_version: modelVersionJson(
      store.createModelVersion({
        name: q.name,
        source: q.source,
        runId: q.run_id,
        tags: tags(q.tags),
        runLink: q.run_link,
        description: q.description,
      }),
    ),
  })),
  route('model-versions/update', ['PATCH'], r.updateVersion, (store, q) => ({
    model_version: modelVersionJson(store.updateModelVersion(q.name, q.version, q.description)),
  })),
  route('model-versions/transition-stage', ['POST'], r.transitionStage, (store, q) => ({
    model_version: modelVersionJson(
      store.transitionModelVersionStage(q.name, q.version, q.stage, q.archive_existing_versions),
    ),
  })),
  route('model-versions/delete', ['DELETE'], r.deleteVersion, (store, q) =>
    store.deleteModelVersion(q.name, q.version),
  ),
  route('model-versions/get', ['GET'], r.getVersion, (store, q) => ({
    model_version: modelVersionJson(store.getModelVersion(q.name, q.version)),
  })),
  route('model-versions/search', ['GET'], r.searchVersions, (store, q) => {
    const page = store.searchModelVersions({
      filter: q.filter,
      orderBy: q.order_by,
      maxResults: q.max_results,
      pageToken: q.page_token,
    });
    return withToken({ model_versions: page.items.map(modelVersionJson) }, page.nextPageToken);
  }),
  route('model-versions/get-download-uri', ['GET'], r.downloadUri, (store, q) => ({
    artifact_uri: store.getModelVersionDownloadUri(q.name, q.version),
  })),
  route('model-versions/set-tag', ['POST'], r.setVersionTag, (store, q) =>
    store.setModelVersionTag(q.name, q.version, { key: q.key, value: q.value }),
  ),
  route('model-versions/delete-tag', ['DELETE'], r.deleteVersionTag, (store, q) =>
    store.deleteModelVersionTag(q.name, q.version, q.key),
  ),
];

export const registryRoutes: Route[] = [...modelRoutes, ...versionRoutes];
