import { execFile } from 'node:child_process';
import type { Tag } from '../store/entities';

/**
 * The code version of a launch, as MLflow records it: commit and branch, and whether the tree
 * had uncommitted changes (then the commit alone does not reproduce the run). git runs without
 * a shell in the launch's folder; outside a repository, or without git, there are no such tags.
 */
export async function gitTags(cwd: string): Promise<Tag[]> {
  const commit = await git(cwd, ['rev-parse', 'HEAD']);
  if (!commit) return [];

  const tags: Tag[] = [{ key: 'mlflow.source.git.commit', value: commit }];
  const branch = await git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  // A detached HEAD names no branch; "HEAD" would read as one.
  if (branch && branch !== 'HEAD') tags.push({ key: 'mlflow.source.git.branch', value: branch });
  const status = await git(cwd, ['status', '--porcelain']);
  if (status) tags.push({ key: 'mlflow.source.git.dirty', value: 'true' });
  return tags;
}

/** The trimmed output, or undefined when git fails or is missing. */
function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 10_000, windowsHide: true }, (error, stdout) => {
      resolve(error ? undefined : String(stdout).trim() || undefined);
    });
  });
}
