// TreeDataProvider over the live deployment: maps the plain nodes of treeModel.ts to TreeItems. Tooltips are built
// only when VS Code asks for them (resolveTreeItem, on hover); after a change only the nodes it touched refresh.
import * as vscode from 'vscode';
import type { DeploymentChange } from '../core';
import type { LiveDeployment } from './live';
import { buildIndex, childNodes, parentNode, rootNodes, tooltipOf, viewOf, type TreeIndex, type TreeNode } from './treeModel';

const SEVERITY_COLOR = { error: 'list.errorForeground', warning: 'list.warningForeground', info: 'testing.iconPassed' } as const;
/** A change touching more servers than this refreshes the whole tree (VS Code re-reads only the nodes it shows). */
const PARTIAL_REFRESH_UP_TO = 200;

export class DeploymentTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private index: TreeIndex | undefined;
  /** The node objects VS Code was given, by id: a partial refresh must name the same objects. */
  private readonly shown = new Map<string, TreeNode>();
  private readonly unsubscribe: () => void;

  constructor(private readonly live: LiveDeployment) {
    this.unsubscribe = live.onDidChange((change) => this.update(change));
  }

  /** Refreshes the whole tree. */
  refresh(): void {
    this.index = undefined;
    this.shown.clear();
    this.changed.fire(undefined);
  }

  /** Refreshes what `change` touched: the CMS node and the changed servers with their pools (their severity rolls up). */
  update(change: DeploymentChange): void {
    const d = this.live.state;
    const versionShown = this.shownCmsVersion;
    // A new CMS version changes every server's "UpToDate" description: a full refresh (VS Code re-reads only shown nodes).
    if (change.all || !d || change.servers.length > PARTIAL_REFRESH_UP_TO || (change.cms && versionShown !== d.cms.version)) {
      this.refresh();
      return;
    }
    this.index = undefined;
    const idx = this.idx();
    const nodes = new Set<TreeNode>();
    const add = (id: string) => {
      const n = this.shown.get(id);
      if (n) nodes.add(n);
    };
    // The CMS node too: without a global slot its findings weigh every Front End (the manual path).
    add('cms');
    for (const fqdn of change.servers) {
      add(`server/${fqdn}`);
      const pool = idx?.server(fqdn)?.pool;
      if (pool) add(`pool/${pool.fqdn}`);
    }
    if (nodes.size) this.changed.fire([...nodes]);
  }

  private shownCmsVersion: number | undefined;

  private idx(): TreeIndex | undefined {
    const d = this.live.state;
    if (!d) return undefined;
    if (!this.index) {
      this.index = buildIndex(d, this.live.findings());
      this.shownCmsVersion = d.cms.version;
    }
    return this.index;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    const d = this.live.state;
    const idx = this.idx();
    if (!d || !idx) return [];
    const children = node ? childNodes(d, idx, node) : rootNodes(d);
    for (const c of children) this.shown.set(c.id, c);
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    const d = this.live.state;
    const idx = this.idx();
    return d && idx ? parentNode(d, idx, node) : undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const d = this.live.state;
    const idx = this.idx();
    if (!d || !idx) return new vscode.TreeItem('');
    const v = viewOf(d, idx, node, this.live.now());
    const item = new vscode.TreeItem(v.label, v.collapsible === 'none' ? vscode.TreeItemCollapsibleState.None : v.collapsible === 'expanded' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.description = v.description;
    item.contextValue = v.contextValue;
    const color = v.severity && (node.kind === 'certificate' || node.kind === 'slotEntry' || v.severity !== 'info') ? new vscode.ThemeColor(SEVERITY_COLOR[v.severity]) : undefined;
    item.iconPath = new vscode.ThemeIcon(v.icon, color);
    item.accessibilityInformation = { label: [v.accessibleName ?? v.label, v.accessibleName ? undefined : v.description, v.severity && v.severity !== 'info' ? v.severity : undefined].filter(Boolean).join(', ') };
    if (node.kind === 'certificate' || node.kind === 'slotEntry') {
      item.command = { command: 'sfbCertificates.showCertificateDetails', title: 'Show Certificate Details', arguments: [node] };
    }
    return item;
  }

  /** Fills in the tooltip when the user hovers (building it for every node up front is what made big trees slow). */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const d = this.live.state;
    const idx = this.idx();
    const tooltip = d && idx ? tooltipOf(d, idx, node, this.live.now()) : undefined;
    if (tooltip) {
      const md = new vscode.MarkdownString(tooltip, true);
      md.supportHtml = false;
      item.tooltip = md;
    }
    return item;
  }

  dispose(): void {
    this.unsubscribe();
    this.changed.dispose();
  }
}
