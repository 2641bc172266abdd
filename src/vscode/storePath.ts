import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_STORE_DIR } from '../core/store/location';
import { SettingId } from './ids';

/**
 * The store folder for this window: modelFactory.store.path (absolute, or relative to the first
 * workspace folder), else .modelfactory in the first workspace folder. Undefined without a folder.
 */
export function resolveStoreDir(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const setting = vscode.workspace.getConfiguration().get<string>(SettingId.storePath, '').trim();
  return path.resolve(folder.uri.fsPath, setting || DEFAULT_STORE_DIR);
}
