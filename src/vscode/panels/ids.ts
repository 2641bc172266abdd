/** The panels' command ids; package.json declares each (test/unit/manifest.test.ts). */
export const PanelCommand = {
  /** From the palette: pick a run, see its panel. The tree uses modelFactory.experiments.openRun. */
  openRun: 'modelFactory.openRun',
  openVersion: 'modelFactory.models.openVersion',
} as const;

export type PanelCommandId = (typeof PanelCommand)[keyof typeof PanelCommand];

/**
 * The drift panel's view type. package.json names it in an onWebviewPanel activation event once
 * a serializer restores drift panels after a reload (see reviveDriftPanel in driftPanel.ts).
 */
export const DriftPanelViewType = 'modelFactory.driftPanel';
