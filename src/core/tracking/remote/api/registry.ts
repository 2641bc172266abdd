import type { ModelVersion, Page, RegisteredModel, Tag } from '../../../store/entities';
import { decodeModelVersion, decodeRegisteredModel } from '../decode';
import { allPages, filterString, orMissing, type Caller } from './caller';
import { decodePage } from './tracking';

type Json = Record<string, unknown>;

export interface RegistrySearch {
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface CreateModelVersion {
  name: string;
  source: string;
  runId?: string;
  tags?: Tag[];
  runLink?: string;
  description?: string;
}

/** MLflow's model registry endpoints: registered models, their versions, tags and aliases. */
export class RegistryApi {
  constructor(private readonly caller: Caller) {}

  async searchModels(search: RegistrySearch = {}): Promise<Page<RegisteredModel>> {
    const body = await this.caller.call<Json>('GET', 'registered-models/search', {
      filter: search.filter,
      max_results: search.maxResults,
      order_by: search.orderBy,
      page_token: search.pageToken,
    });
    return decodePage(body, 'registered_models', decodeRegisteredModel);
  }

  models(search: Omit<RegistrySearch, 'pageToken'> = {}): AsyncGenerator<RegisteredModel> {
    return allPages((pageToken) => this.searchModels({ ...search, pageToken }));
  }

  /** The model, or undefined when there is none of that name. */
  async getModel(name: string): Promise<RegisteredModel | undefined> {
    const body = await orMissing(this.caller.call<Json>('GET', 'registered-models/get', { name }));
    return body ? decodeRegisteredModel(body.registered_model as Json) : undefined;
  }

  /** Not idempotent: a second create fails with RESOURCE_ALREADY_EXISTS. */
  async createModel(name: string, tags: Tag[] = [], description?: string) {
    const body = await this.caller.call<Json>(
      'POST',
      'registered-models/create',
      { name, tags, description: description || undefined },
      { idempotent: false },
    );
    return decodeRegisteredModel(body.registered_model as Json);
  }

  async updateModel(name: string, description: string): Promise<void> {
    await this.caller.call('PATCH', 'registered-models/update', { name, description });
  }

  async setModelTag(name: string, tag: Tag): Promise<void> {
    await this.caller.call('POST', 'registered-models/set-tag', { name, ...tag });
  }

  async searchVersions(search: RegistrySearch = {}): Promise<Page<ModelVersion>> {
    const body = await this.caller.call<Json>('GET', 'model-versions/search', {
      filter: search.filter,
      max_results: search.maxResults,
      order_by: search.orderBy,
      page_token: search.pageToken,
    });
    return decodePage(body, 'model_versions', decodeModelVersion);
  }

  /** Every version of one model. */
  versionsOf(name: string): AsyncGenerator<ModelVersion> {
    const filter = `name=${filterString(name)}`;
    return allPages((pageToken) => this.searchVersions({ filter, pageToken }));
  }

  async getVersion(name: string, version: string): Promise<ModelVersion | undefined> {
    const request = this.caller.call<Json>('GET', 'model-versions/get', { name, version });
    const body = await orMissing(request);
    return body ? decodeModelVersion(body.model_version as Json) : undefined;
  }

  /** Not idempotent: each call adds a version. Tag it to find it by after a failure. */
  async createVersion(request: CreateModelVersion): Promise<ModelVersion> {
    const body = await this.caller.call<Json>(
      'POST',
      'model-versions/create',
      {
        name: request.name,
        source: request.source,
        run_id: request.runId || undefined,
        tags: request.tags ?? [],
        run_link: request.runLink || undefined,
        description: request.description || undefined,
      },
      { idempotent: false },
    );
    return decodeModelVersion(body.model_version as Json);
  }

  async updateVersion(name: string, version: string, description: string): Promise<void> {
    await this.caller.call('PATCH', 'model-versions/update', { name, version, description });
  }

  async setVersionTag(name: string, version: string, tag: Tag): Promise<void> {
    await this.caller.call('POST', 'model-versions/set-tag', { name, version, ...tag });
  }

  /** The legacy stage; MLflow deprecated stages for aliases, but servers still keep them. */
  async transitionStage(name: string, version: string, stage: string): Promise<void> {
    await this.caller.call('POST', 'model-versions/transition-stage', {
      name,
      version,
      stage,
      archive_existing_versions: false,
    });
  }

  /** Points the alias at the version, moving it from another version if need be. */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.caller.call('POST', 'registered-models/alias', { name, alias, version });
  }

  /** Removes the alias from whichever version holds it. */
  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.caller.call('DELETE', 'registered-models/alias', { name, alias });
  }
}
