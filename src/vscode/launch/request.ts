/**
 * What a code lens, a tree action or a tasks.json entry asks the launcher to run. Shared by the
 * language client (which builds it from a lens) and the launcher (which runs it).
 */
export interface LaunchRequest {
  kind: 'train' | 'evaluate';
  /** The MLproject file (with entryPoint) or the Python script, as a file URI string. */
  uri: string;
  /** An MLproject entry point; absent for a script. */
  entryPoint?: string;
  /** Ask for every parameter ("Run with parameters…"), not only the required ones. */
  ask?: boolean;
  /** Parameter values given up front (tasks.json). */
  params?: Record<string, string>;
  /** The experiment for the run, by name; else the active experiment, else the project's name. */
  experiment?: string;
  /** For an evaluation: models:/name/version, so the version is not asked for. */
  model?: string;
  /** Tags for the run beyond the launcher's own (a retrain's drift check). */
  tags?: Record<string, string>;
  /**
   * Why this run is recorded in the workspace store even when modelFactory.launch.trackingServer
   * names a server (a retrain is linked to its drift check there); shown in the terminal.
   */
  workspaceStore?: string;
}
