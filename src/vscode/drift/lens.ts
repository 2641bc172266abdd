import * as vscode from 'vscode';
import type { DisposableScope } from '../disposable';
import type { TrackingService } from '../tracking';
import { core } from '../core';
import { followStore } from '../models/follow';
import { DriftCommand } from './ids';

/**
 * "Check drift…" on the first line of a CSV, TSV or JSON Lines file, and, once the file has been
 * checked, its latest verdict, which opens the stored check.
 *
 * These lenses come from the extension rather than the language server, unlike the MLproject and
 * Python ones: they need nothing from the file's text, and a language client would send the whole
 * text of every opened data file (often many megabytes) to the server and keep it in sync, for
 * nothing.
 */
export const DATA_FILE_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.{csv,tsv,tab,jsonl,ndjson}' },
];

export function registerDriftLenses(tracking: TrackingService, scope: DisposableScope): void {
  const changed = new vscode.EventEmitter<void>();
  scope.track(changed);
  scope.track(followStore(tracking, ['drift'], () => changed.fire()));

  scope.track(
    vscode.languages.registerCodeLensProvider(DATA_FILE_SELECTOR, {
      onDidChangeCodeLenses: changed.event,
      provideCodeLenses: (document) => driftLenses(tracking, document.uri),
    }),
  );
}

function driftLenses(tracking: TrackingService, uri: vscode.Uri): vscode.CodeLens[] {
  const top = new vscode.Range(0, 0, 0, 0);
  const lenses = [
    new vscode.CodeLens(top, {
      title: '$(pulse) Check drift…',
      command: DriftCommand.checkDrift,
      arguments: [uri],
    }),
  ];
  const latest = tracking.runStore?.listDriftChecks({ currentPath: uri.fsPath, maxResults: 1 })[0];
  if (latest) {
    const when = new Date(latest.createdTime).toLocaleString();
    lenses.push(
      new vscode.CodeLens(top, {
        title: `last: ${core().drift.verdictText(latest)} · ${when}`,
        command: DriftCommand.openDriftCheck,
        arguments: [latest.checkId],
      }),
    );
  }
  return lenses;
}
