import * as vscode from 'vscode';
import { ACTIVE_EXPERIMENT_KEY, ExperimentCommand } from './ids';

const VARIABLE = 'MLFLOW_EXPERIMENT_NAME';

/**
 * The experiment new runs go to. mlflow reads MLFLOW_EXPERIMENT_NAME when a script does not
 * choose one, so exporting it to terminals and tasks is what makes "active" true; the choice is
 * kept per workspace and shown in the status bar.
 */
export class ActiveExperiment implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.item = vscode.window.createStatusBarItem(
      'modelFactory.activeExperiment',
      vscode.StatusBarAlignment.Left,
      9,
    );
    this.item.name = 'Model Factory Active Experiment';
    this.item.command = ExperimentCommand.setActiveExperiment;
    this.apply(this.name);
  }

  get name(): string | undefined {
    return this.context.workspaceState.get<string>(ACTIVE_EXPERIMENT_KEY) || undefined;
  }

  async set(name: string | undefined): Promise<void> {
    await this.context.workspaceState.update(ACTIVE_EXPERIMENT_KEY, name);
    this.apply(name);
    this.changed.fire(name);
  }

  private apply(name: string | undefined): void {
    const environment = this.context.environmentVariableCollection;
    if (!name) {
      environment.delete(VARIABLE);
      this.item.hide();
      return;
    }
    environment.replace(VARIABLE, name);
    this.item.text = `$(beaker) ${name}`;
    this.item.tooltip = `New runs from terminals and tasks go to the experiment "${name}". Click to change.`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
  }
}
