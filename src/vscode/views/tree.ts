import * as vscode from 'vscode';
import type { ViewNode } from './node';

export type ChildrenOf = (parent: ViewNode | undefined) => ViewNode[] | Promise<ViewNode[]>;

/**
 * One TreeDataProvider for all three views: the view's model supplies children as ViewNodes and
 * this turns them into TreeItems. `refresh()` fires one change event for the whole tree; ids keep
 * expansion and selection across refreshes.
 */
export class NodeTreeProvider implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Counts refreshes, for the views benchmark and tests. */
  refreshes = 0;

  constructor(private readonly childrenOf: ChildrenOf) {}

  refresh(): void {
    this.refreshes += 1;
    this.changed.fire(undefined);
  }

  getChildren(parent?: ViewNode): vscode.ProviderResult<ViewNode[]> {
    return this.childrenOf(parent);
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    const state = {
      none: vscode.TreeItemCollapsibleState.None,
      collapsed: vscode.TreeItemCollapsibleState.Collapsed,
      expanded: vscode.TreeItemCollapsibleState.Expanded,
    }[node.collapsible];
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.contextValue = node.contextValue;
    if (node.tooltip) {
      // Values from the store are escaped where the tooltip is built; no HTML, no commands.
      const tooltip = new vscode.MarkdownString(node.tooltip);
      tooltip.supportHtml = false;
      tooltip.isTrusted = false;
      item.tooltip = tooltip;
    }
    if (node.icon) {
      const color = node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined;
      item.iconPath = new vscode.ThemeIcon(node.icon.id, color);
    }
    if (node.resourcePath) item.resourceUri = vscode.Uri.file(node.resourcePath);
    if (node.command) item.command = node.command;
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
