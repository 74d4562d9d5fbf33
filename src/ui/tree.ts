// TreeDataProvider over the live store: maps the plain nodes of treeModel.ts to TreeItems.
import * as vscode from 'vscode';
import type { LiveStore } from './store';
import { buildIndex, childNodes, parentNode, rootNodes, viewOf, type TreeIndex, type TreeNode } from './treeModel';

const SEVERITY_COLOR = { error: 'list.errorForeground', warning: 'list.warningForeground', info: 'testing.iconPassed' } as const;

export class DeploymentTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private index: TreeIndex | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly store: LiveStore) {
    this.unsubscribe = store.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.index = undefined;
    this.changed.fire(undefined);
  }

  private idx(): TreeIndex | undefined {
    const d = this.store.state;
    if (!d) return undefined;
    this.index ??= buildIndex(d, this.store.findings());
    return this.index;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    const d = this.store.state;
    const idx = this.idx();
    if (!d || !idx) return [];
    return node ? childNodes(d, idx, node) : rootNodes(d);
  }

  getParent(node: TreeNode): TreeNode | undefined {
    const d = this.store.state;
    const idx = this.idx();
    return d && idx ? parentNode(d, idx, node) : undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const d = this.store.state;
    const idx = this.idx();
    if (!d || !idx) return new vscode.TreeItem('');
    const v = viewOf(d, idx, node, this.store.now());
    const item = new vscode.TreeItem(v.label, v.collapsible === 'none' ? vscode.TreeItemCollapsibleState.None : v.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.description = v.description;
    item.contextValue = v.contextValue;
    const color = v.severity && (node.kind === 'certificate' || node.kind === 'slotEntry' || v.severity !== 'info') ? new vscode.ThemeColor(SEVERITY_COLOR[v.severity]) : undefined;
    item.iconPath = new vscode.ThemeIcon(v.icon, color);
    if (v.tooltip) {
      const md = new vscode.MarkdownString(v.tooltip, true);
      md.supportHtml = false;
      item.tooltip = md;
    }
    item.accessibilityInformation = { label: [v.label, v.description, v.severity && v.severity !== 'info' ? v.severity : undefined].filter(Boolean).join(', ') };
    if (node.kind === 'certificate' || node.kind === 'slotEntry') {
      item.command = { command: 'sfbCertificates.showCertificateDetails', title: 'Show Certificate Details', arguments: [node] };
    }
    return item;
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }
}
