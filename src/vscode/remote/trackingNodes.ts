import type { Experiment, Run } from '../../core/store/entities';
import { statusIcons } from '../experiments/model';
import { runTooltip } from '../experiments/summary';
import { ago, escapeMarkdown as escape, formatMetric, type ViewNode } from '../views/node';
import { RemoteCommand } from './ids';
import type { ServerEntry } from './model';

/** The Experiments group of a connection: its experiments, then their runs. No `vscode` import. */

export function experimentNode(server: ServerEntry, experiment: Experiment, now: number): ViewNode {
  const { experimentId, name } = experiment;
  return {
    id: `remote:${server.name}:experiment:${experimentId}`,
    label: name,
    description: ago(experiment.lastUpdateTime ?? experiment.creationTime, now),
    tooltip: `**${escape(name)}** on ${escape(server.url)}\n\nID ${escape(experimentId)}`,
    contextValue: 'remoteExperiment',
    icon: { id: 'beaker' },
    collapsible: 'collapsed',
    data: { kind: 'remoteExperiment', server: server.name, experimentId, name },
  };
}

/** `keyMetric` is modelFactory.experiments.keyMetric; empty shows the run's first metric. */
export function runNode(server: ServerEntry, run: Run, now: number, keyMetric: string): ViewNode {
  const { info } = run;
  const node: ViewNode = {
    id: `remote:${server.name}:run:${info.runId}`,
    label: info.runName || info.runId.slice(0, 8),
    description: runDescription(run, now, keyMetric),
    tooltip: runTooltip(run, now),
    contextValue: 'remoteRun',
    icon: statusIcons[info.status] ?? { id: 'circle-outline' },
    collapsible: 'none',
    data: {
      kind: 'remoteRun',
      server: server.name,
      runId: info.runId,
      experimentId: info.experimentId,
      name: info.runName,
      status: info.status,
    },
  };
  node.command = { command: RemoteCommand.openRun, title: 'Open Run', arguments: [node] };
  return node;
}

/** The key metric (or the first the server lists), then how long ago the run started. */
function runDescription(run: Run, now: number, keyMetric: string): string {
  const metrics = run.data.metrics;
  const metric = keyMetric ? metrics.find((m) => m.key === keyMetric) : metrics[0];
  const parts = [
    metric ? `${metric.key} ${formatMetric(metric.value)}` : '',
    ago(run.info.startTime, now),
  ];
  return parts.filter(Boolean).join(' · ');
}
