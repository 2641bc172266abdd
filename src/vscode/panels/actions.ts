import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunStore } from '../../core/store/store';
import type { HostMessage, WebviewMessage } from '../../protocol/panels';
import { core } from '../core';
import { log } from '../log';

/** What the panels share: artifacts of a run, opening things in the editor, saving exports. */

/** Previews stop here: a larger image or text is opened in an editor instead. */
const PREVIEW_BYTES = 2 * 1024 * 1024;
const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
};
const TEXT_TYPES = new Set(['.txt', '.log', '.md', '.yaml', '.yml', '.csv', '.tsv', '.py', '']);

/** The local file of a run's artifact, refusing any path that would leave the run's folder. */
export function artifactFile(store: RunStore, runId: string, relative: string): string {
  const { artifactUri } = store.getRun(runId).info;
  const location = core().panels.runArtifactLocation(store.artifactsDir, artifactUri);
  return core().panels.resolveSegments(location.root, [
    ...location.segments,
    ...core().panels.splitRelative(relative),
  ]);
}

export function listArtifacts(store: RunStore, runId: string, relative: string): HostMessage {
  const { artifactUri } = store.getRun(runId).info;
  const listing = core().listRunArtifacts(store.artifactsDir, artifactUri, relative || undefined);
  return {
    type: 'artifacts',
    path: relative,
    files: listing.files.map((file) => ({
      path: file.path,
      isDir: file.is_dir,
      ...(file.file_size === undefined ? {} : { size: file.file_size }),
    })),
  };
}

export async function openArtifact(store: RunStore, runId: string, relative: string) {
  const file = artifactFile(store, runId, relative);
  await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), {
    preview: true,
    viewColumn: vscode.ViewColumn.Beside,
  });
}

/** An image as a data: URL, JSON pretty-printed, other text as it is; nothing is run or parsed as HTML. */
export function previewArtifact(store: RunStore, runId: string, relative: string): HostMessage {
  const file = artifactFile(store, runId, relative);
  const extension = path.extname(file).toLowerCase();
  const size = fs.statSync(file).size;
  const base = { type: 'preview' as const, path: relative };
  if (size > PREVIEW_BYTES) {
    return {
      ...base,
      kind: 'none',
      content: 'Too large to preview here: open it.',
      truncated: false,
    };
  }
  if (IMAGE_TYPES[extension]) {
    const data = fs.readFileSync(file).toString('base64');
    return {
      ...base,
      kind: 'image',
      content: `data:${IMAGE_TYPES[extension]};base64,${data}`,
      truncated: false,
    };
  }
  if (extension === '.json' || extension === '.jsonl' || path.basename(file) === 'MLmodel') {
    return { ...base, ...jsonPreview(fs.readFileSync(file, 'utf8')) };
  }
  if (TEXT_TYPES.has(extension)) {
    return { ...base, kind: 'text', content: fs.readFileSync(file, 'utf8'), truncated: false };
  }
  return {
    ...base,
    kind: 'none',
    content: 'No preview for this kind of file: open it.',
    truncated: false,
  };
}

function jsonPreview(text: string): { kind: 'json' | 'text'; content: string; truncated: boolean } {
  try {
    return { kind: 'json', content: JSON.stringify(JSON.parse(text), null, 2), truncated: false };
  } catch {
    return { kind: 'text', content: text, truncated: false };
  }
}

/** Opens the run's source file, at its commit when git can show it, else as it is now. */
export async function openSource(file: string, commit: string | undefined): Promise<void> {
  const uri = vscode.Uri.file(file);
  if (commit) {
    const atCommit = await gitUriAt(uri, commit);
    if (atCommit) {
      await vscode.commands.executeCommand('vscode.open', atCommit);
      return;
    }
    log.info(`Opening ${file} as it is now: git cannot show it at ${commit.slice(0, 12)}`);
  }
  await vscode.commands.executeCommand('vscode.open', uri);
}

/** A git: URI for the file at a commit, through the built-in Git extension's API. */
async function gitUriAt(uri: vscode.Uri, commit: string): Promise<vscode.Uri | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return undefined;
  try {
    const git = (extension.isActive ? extension.exports : await extension.activate()).getAPI(1);
    const repository = git.getRepository(uri);
    if (!repository) return undefined;
    await repository.getCommit(commit);
    return git.toGitUri(uri, commit);
  } catch {
    return undefined;
  }
}

interface GitExtension {
  getAPI(version: 1): {
    getRepository(uri: vscode.Uri): { getCommit(ref: string): Promise<unknown> } | null;
    toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
  };
}

/** Asks where to save an export from a panel, and writes it. */
export async function saveExport(message: Extract<WebviewMessage, { type: 'export' }>) {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: `Save ${message.format.toUpperCase()}`,
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, message.name) } : {}),
    filters: { [message.format.toUpperCase()]: [message.format] },
  });
  if (!target) return;

  const bytes =
    message.format === 'png'
      ? Buffer.from(message.content.replace(/^data:image\/png;base64,/, ''), 'base64')
      : Buffer.from(message.content, 'utf8');
  await vscode.workspace.fs.writeFile(target, bytes);
  vscode.window.setStatusBarMessage(`Saved ${vscode.workspace.asRelativePath(target)}`, 3000);
}
