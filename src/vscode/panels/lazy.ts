/** The panels' vscode-free parts, loaded with the core bundle (see src/vscode/deferred.ts). */
export { runArtifactLocation } from '../../core/tracking/artifacts/listing';
export { resolveSegments, splitRelative } from '../../core/tracking/artifacts/paths';
export { seriesPoints } from './series';
export { SeriesSource } from './seriesSource';
export { compareRuns, runView, sourceInWorkspace, versionView } from './views';
export { HostMessage, PanelState, WebviewMessage } from '../../protocol/panels';
export {
  DriftHostMessage,
  DriftPanelState,
  DriftReportJson,
  DriftWebviewMessage,
} from '../../protocol/drift';
