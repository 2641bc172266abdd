import type * as vscode from 'vscode';

/**
 * A scope that owns disposables and disposes them in reverse order of registration. The extension,
 * each language-client session and each panel is one scope; only the root scope goes into
 * `context.subscriptions`.
 */
export class DisposableScope implements vscode.Disposable {
  private readonly children: vscode.Disposable[] = [];
  private disposed = false;

  track<T extends vscode.Disposable>(child: T): T {
    if (this.disposed) {
      child.dispose();
      return child;
    }
    this.children.push(child);
    return child;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Reverse order: children registered later may depend on earlier ones.
    for (const child of this.children.splice(0).reverse()) {
      try {
        child.dispose();
      } catch {
        // One failing child must not keep the others alive.
      }
    }
  }
}
