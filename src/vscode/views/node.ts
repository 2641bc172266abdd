/**
 * What a tree shows for one item, as plain data: the views' models (experiments/model.ts,
 * models/model.ts, datasets/model.ts) build these from the store without importing `vscode`, so
 * they are tested against a real store with node's test runner; tree.ts turns them into
 * TreeItems.
 */
export interface ViewNode {
  /** Stable across refreshes, so VS Code keeps expansion and selection. */
  id: string;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  /** Drives the when-clauses of menus: `experiment`, `run.finished`, `modelVersion`... */
  contextValue: string;
  /** A codicon id, with an optional theme colour id; `spin` for a running run. */
  icon?: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** What a click does. */
  command?: { command: string; title: string; arguments?: unknown[] };
  /** A file the item stands for (datasets), so VS Code shows its icon and opens it. */
  resourcePath?: string;
  /** The entity behind the item, handed to commands run on it. */
  data?: NodeData;
}

export type NodeData =
  | { kind: 'experiment'; experimentId: string; name: string; deleted: boolean }
  | {
      kind: 'run';
      runId: string;
      experimentId: string;
      name: string;
      deleted: boolean;
      status: string;
    }
  | { kind: 'more'; experimentId: string; parentRunId?: string; offset: number }
  | { kind: 'model'; name: string }
  | { kind: 'modelVersion'; name: string; version: string; runId: string; aliases: string[] }
  | { kind: 'dataset'; path?: string; name: string; digest?: string; experimentId?: string }
  | { kind: 'message' }
  // The MLflow servers view (src/vscode/remote/): each item names its connection.
  | { kind: 'remoteServer'; server: string; url: string }
  | { kind: 'remoteExperiment'; server: string; experimentId: string; name: string }
  | {
      kind: 'remoteRun';
      server: string;
      runId: string;
      experimentId: string;
      name: string;
      status: string;
    }
  | { kind: 'remoteGroup'; server: string; group: 'experiments' | 'models' }
  | { kind: 'remoteModel'; server: string; name: string }
  | {
      kind: 'remoteVersion';
      server: string;
      name: string;
      version: string;
      runId: string;
      aliases: string[];
    }
  // Without `model`, the list of experiments (or with `experimentId`, of its runs); `models` is
  // the list of registered models, and `model` the versions of that one.
  | { kind: 'remoteMore'; server: string; experimentId?: string; models?: true; model?: string };

/** An item that only says something, e.g. why a view is empty or cannot be read. */
export function messageNode(id: string, label: string, tooltip?: string): ViewNode {
  return {
    id,
    label,
    tooltip,
    contextValue: 'message',
    collapsible: 'none',
    icon: { id: 'info' },
    data: { kind: 'message' },
  };
}

/** "3 min ago", "2 h ago", "5 d ago": short, for tree descriptions. */
export function ago(timestamp: number | null | undefined, now = Date.now()): string {
  if (timestamp === null || timestamp === undefined) return '';
  const seconds = Math.max(0, Math.round((now - timestamp) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} d ago`;
}

/** A metric value for a description: short but exact enough to compare runs. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** Escapes text from the store for Markdown tooltips, so names cannot inject links or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>&]/g, (c) => `\\${c}`);
}
