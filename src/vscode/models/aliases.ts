import * as vscode from 'vscode';
import type { ModelVersion } from '../../core/store/entities';
import type { RunStore } from '../../core/store/store';
import { confirm, pickVersion } from './prompts';
import { core } from '../core';

/** The pure helpers, in dist/core.js (see lazy.ts). */
const lazy = () => core().models;

/**
 * Sets an alias on a version. MLflow moves an alias that another version holds, so this is also
 * how an alias moves here; the input box says so while the user types it.
 */
export async function setAlias(store: RunStore, version: ModelVersion): Promise<void> {
  const aliases = store.getRegisteredModel(version.name).aliases;
  const typed = await vscode.window.showInputBox({
    title: `Set an alias on ${version.name} version ${version.version}`,
    prompt: `Letters, digits, - and _. Code loads the version as models:/${version.name}@alias.`,
    placeHolder: 'champion',
    validateInput: (text) => aliasValidation(text, aliases, version.version),
  });
  if (typed === undefined || lazy().normalizeAlias(typed) === '') return;

  const alias = lazy().normalizeAlias(typed);
  store.setAlias(version.name, alias, version.version);
  announce(alias, version.name, version.version);
}

function aliasValidation(
  text: string,
  aliases: Array<{ alias: string; version: string }>,
  version: string,
): string | vscode.InputBoxValidationMessage | undefined {
  // An empty box is not an error yet: the user has not typed anything.
  if (lazy().normalizeAlias(text) === '') return undefined;
  const problem = lazy().aliasProblem(text);
  if (problem) return problem;
  const note = lazy().aliasMoveNote(text, aliases, version);
  return note ? { message: note, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
}

/** Moves one of this version's aliases to another version of the same model. */
export async function moveAlias(store: RunStore, version: ModelVersion): Promise<void> {
  const [alias] = (await pickAliases(version, 'Move which alias?', false)) ?? [];
  if (alias === undefined) return;
  const title = `Move @${alias} to which version of ${version.name}?`;
  const target = await pickVersion(store, version.name, title, version.version);
  if (!target) return;

  store.setAlias(version.name, alias, target.version);
  announce(alias, version.name, target.version);
}

/** Removes aliases, after asking: code that loads `models:/name@alias` breaks until it is set. */
export async function removeAlias(store: RunStore, version: ModelVersion): Promise<void> {
  const aliases = await pickAliases(version, 'Remove which aliases?', true);
  if (!aliases || aliases.length === 0) return;
  const names = aliases.map((alias) => `@${alias}`).join(', ');
  const confirmed = await confirm(
    `Remove ${names} from ${version.name} version ${version.version}?`,
    `Code that loads models:/${version.name}@${aliases[0]} fails until the alias is set again.`,
    aliases.length === 1 ? 'Remove Alias' : 'Remove Aliases',
  );
  if (!confirmed) return;

  for (const alias of aliases) store.deleteAlias(version.name, alias);
}

/** One alias needs no question; several are picked from. */
async function pickAliases(
  version: ModelVersion,
  title: string,
  many: boolean,
): Promise<string[] | undefined> {
  if (version.aliases.length === 0) {
    void vscode.window.showInformationMessage(`Version ${version.version} has no alias.`);
    return undefined;
  }
  if (version.aliases.length === 1) return version.aliases;
  const items = version.aliases.map((alias) => ({ label: `@${alias}`, alias }));
  if (!many) {
    const pick = await vscode.window.showQuickPick(items, { title });
    return pick ? [pick.alias] : undefined;
  }
  const picks = await vscode.window.showQuickPick(items, { title, canPickMany: true });
  return picks?.map((pick) => pick.alias);
}

function announce(alias: string, name: string, version: string): void {
  vscode.window.setStatusBarMessage(`$(tag) @${alias} → ${name} version ${version}`, 5000);
}
