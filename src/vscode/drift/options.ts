import * as vscode from 'vscode';
import type { Correction, DriftOptions, StatTestName } from '../../core/drift/types';
import { core } from '../core';
import { DriftSetting, OPTIONS_KEY } from './ids';

/**
 * A check's options: the settings, then what was last used for this file (saved with each check),
 * then, when asked, what the user changes in a quick pick.
 */
export function settingsOptions(): DriftOptions {
  const config = vscode.workspace.getConfiguration();
  const test = config.get<string>(DriftSetting.test, 'auto');
  const threshold = config.get<number | null>(DriftSetting.threshold, null);
  const text = (id: string) => config.get<string>(id, '').trim() || undefined;
  return {
    test: test === 'auto' ? undefined : (test as StatTestName),
    threshold: typeof threshold === 'number' && threshold > 0 ? threshold : undefined,
    correction: config.get<Correction>(DriftSetting.correction, 'none'),
    driftShare: config.get<number>(DriftSetting.driftShare, 0.5),
    target: text(DriftSetting.target),
    prediction: text(DriftSetting.prediction),
  };
}

export function rememberedOptions(state: vscode.Memento, currentPath: string): DriftOptions {
  const saved = state.get<Record<string, DriftOptions>>(OPTIONS_KEY, {})[currentPath];
  return { ...settingsOptions(), ...(saved ?? {}) };
}

export async function rememberOptions(
  state: vscode.Memento,
  currentPath: string,
  options: DriftOptions,
): Promise<void> {
  const memory = { ...state.get<Record<string, DriftOptions>>(OPTIONS_KEY, {}) };
  memory[currentPath] = options;
  await state.update(OPTIONS_KEY, memory);
}

type Field = 'test' | 'threshold' | 'correction' | 'driftShare' | 'target' | 'prediction';

interface OptionItem extends vscode.QuickPickItem {
  field?: Field;
  run?: true;
}

/** Lets the user change any option before the check runs; undefined when dismissed. */
export async function editOptions(initial: DriftOptions): Promise<DriftOptions | undefined> {
  let options = { ...initial };
  for (;;) {
    const picked = await vscode.window.showQuickPick(optionItems(options), {
      title: 'Drift check options (saved with the result)',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked.run) return options;
    const changed = await editField(picked.field!, options);
    if (changed) options = changed;
  }
}

function optionItems(o: DriftOptions): OptionItem[] {
  return [
    { label: '$(play) Check drift with these options', run: true },
    {
      label: 'Test',
      description: o.test ?? "automatic (Evidently's choice per column)",
      field: 'test',
    },
    {
      label: 'Threshold',
      description: o.threshold?.toString() ?? "each test's default",
      field: 'threshold',
    },
    { label: 'Correction', description: o.correction ?? 'none', field: 'correction' },
    {
      label: 'Dataset drifts at share',
      description: String(o.driftShare ?? 0.5),
      field: 'driftShare',
    },
    { label: 'Target column', description: o.target ?? 'none (no concept drift)', field: 'target' },
    { label: 'Prediction column', description: o.prediction ?? 'none', field: 'prediction' },
  ];
}

async function editField(field: Field, o: DriftOptions): Promise<DriftOptions | undefined> {
  switch (field) {
    case 'test': {
      const names = ['automatic', ...core().drift.STAT_TEST_NAMES];
      const test = await vscode.window.showQuickPick(names, { title: 'Test for every column' });
      return test === undefined
        ? undefined
        : { ...o, test: test === 'automatic' ? undefined : (test as StatTestName) };
    }
    case 'correction': {
      const correction = await vscode.window.showQuickPick(['none', 'bonferroni', 'fdr'], {
        title: 'Correct the p-values for the number of columns',
      });
      return correction === undefined ? undefined : { ...o, correction: correction as Correction };
    }
    case 'threshold':
    case 'driftShare':
      return numberField(field, o);
    case 'target':
    case 'prediction': {
      const value = await vscode.window.showInputBox({
        title: `${field === 'target' ? 'Target' : 'Prediction'} column (empty for none)`,
        value: o[field] ?? '',
      });
      return value === undefined ? undefined : { ...o, [field]: value.trim() || undefined };
    }
  }
}

async function numberField(field: 'threshold' | 'driftShare', o: DriftOptions) {
  const share = field === 'driftShare';
  const value = await vscode.window.showInputBox({
    title: share
      ? 'The dataset drifts when this share of columns drifted'
      : 'Threshold for every column',
    prompt: share ? 'Above 0, at most 1' : "A p-value or a distance; empty for each test's default",
    value: String(o[field] ?? ''),
    validateInput: (text) => numberProblem(text, share),
  });
  if (value === undefined) return undefined;
  return { ...o, [field]: value.trim() === '' ? undefined : Number(value) };
}

export function numberProblem(text: string, share: boolean): string | undefined {
  if (text.trim() === '') return share ? 'A share is needed' : undefined;
  const number = Number(text);
  if (!Number.isFinite(number) || number <= 0) return 'A number above 0';
  if (share && number > 1) return 'At most 1';
  return undefined;
}
