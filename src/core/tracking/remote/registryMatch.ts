import type { ModelVersion } from '../../store/entities';
import type { RunStore } from '../../store/store';
import { filterString } from './api/caller';
import { SOURCE_VERSION_TAG, tagValue } from './transfer';

/** A run on one side and its copy on the other, for rewriting a model version's source. */
export interface SourceMapping {
  fromRunId: string;
  fromArtifactUri: string | undefined;
  toRunId: string;
  toArtifactUri: string | undefined;
}

/**
 * A version's source as the other side must name it: `runs:/<id>/...` and paths under the run's
 * artifact folder follow the run to its copy. Anything else (s3://, a registry path) stays.
 */
export function mapSource(source: string, mapping: SourceMapping): string {
  const { fromRunId, fromArtifactUri, toRunId, toArtifactUri } = mapping;
  if (!fromRunId || !toRunId) return source;
  const runs = `runs:/${fromRunId}`;
  if (source === runs || source.startsWith(`${runs}/`)) {
    return `runs:/${toRunId}${source.slice(runs.length)}`;
  }
  const under =
    fromArtifactUri && (source === fromArtifactUri || source.startsWith(`${fromArtifactUri}/`));
  if (under && toArtifactUri) return toArtifactUri + source.slice(fromArtifactUri.length);
  return source;
}

/**
 * The copy of `version` among `others` (the versions of the same model on the other side), if
 * there is one. A copy carries modelfactory.source_version with the original's number; a version
 * that was itself copied here carries the number of its original, which may be among `others`;
 * and a copy that kept its number (a pull into a store that had that number free) has the same
 * number, run and source. The run must match in every case, so another store's version 1
 * is never taken for ours.
 */
export function versionCopy(
  version: ModelVersion,
  others: ModelVersion[],
  targetRunId: string,
  targetSource: string,
): ModelVersion | undefined {
  const sameRun = (other: ModelVersion) => (other.runId || '') === targetRunId;
  const copied = others.find(
    (other) => tagValue(other.tags, SOURCE_VERSION_TAG) === version.version && sameRun(other),
  );
  if (copied) return copied;
  const original = tagValue(version.tags, SOURCE_VERSION_TAG);
  const back = original && others.find((other) => other.version === original && sameRun(other));
  if (back) return back;
  return others.find(
    (other) => other.version === version.version && sameRun(other) && other.source === targetSource,
  );
}

/** Every live version of a local model, by number. */
export function localVersions(store: RunStore, name: string): ModelVersion[] {
  const versions: ModelVersion[] = [];
  let pageToken: string | undefined;
  const filter = `name = ${filterString(name)}`;
  do {
    const page = store.searchModelVersions({ filter, maxResults: 10000, pageToken });
    versions.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return versions.sort((a, b) => Number(a.version) - Number(b.version));
}
