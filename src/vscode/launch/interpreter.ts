import * as vscode from 'vscode';
import { SettingId } from '../ids';
import { log } from '../log';

const PYTHON_EXTENSION = 'ms-python.python';

/** The slice of the Python extension's API the launcher uses. */
interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(
      path: { path: string } | string,
    ): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
}

/**
 * The interpreter a launch runs: the one the Python extension has selected for the file (what the
 * user sees in the status bar), else modelFactory.python.path, else python3 from PATH.
 */
export async function chooseInterpreter(resource: vscode.Uri): Promise<string> {
  const selected = await selectedInterpreter(resource);
  if (selected) return selected;
  const configured = vscode.workspace
    .getConfiguration(undefined, resource)
    .get<string>(SettingId.pythonPath)
    ?.trim();
  return configured || 'python3';
}

async function selectedInterpreter(resource: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION);
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    if (!environments) return undefined;
    const active = environments.getActiveEnvironmentPath(resource);
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch (error) {
    // An API change in the Python extension must not block launches: fall back to the setting.
    log.warn(`the Python extension did not say which interpreter is selected: ${String(error)}`);
    return undefined;
  }
}

/** The notification for an interpreter that does not exist, with a way to pick another. */
export async function reportMissingInterpreter(python: string): Promise<void> {
  const action = 'Select Interpreter';
  const choice = await vscode.window.showErrorMessage(
    `The Python interpreter '${python}' was not found, so the run failed before it started. Select an interpreter and launch again.`,
    action,
  );
  if (choice !== action) return;
  if (vscode.extensions.getExtension(PYTHON_EXTENSION)) {
    await vscode.commands.executeCommand('python.setInterpreter');
  } else {
    await vscode.commands.executeCommand('workbench.action.openSettings', SettingId.pythonPath);
  }
}
