import * as vscode from 'vscode';

const SCHEME = 'model-factory';

/**
 * Read-only Markdown documents (a run's summary, a comparison) that stand in for the run and
 * compare panels. A content provider rather than an untitled document: untitled documents are
 * editable and ask to be saved when closed, which a summary should never do.
 */
export class SummaryDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable[];

  constructor() {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === SCHEME) this.contents.delete(document.uri.toString());
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows `content` as `<name>.md`, replacing what an open document of that name showed. */
  async show(name: string, content: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}.md` });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    // Focus stays in the tree, so clicking through runs or selecting several keeps working.
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: true });
  }

  dispose(): void {
    for (const registration of this.registrations) registration.dispose();
    this.changed.dispose();
  }
}
