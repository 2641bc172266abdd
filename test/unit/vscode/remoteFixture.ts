import * as fake from '../../fakes/vscode';
import type { RunStore } from '../../../src/core/store/store';
import { log } from '../../../src/vscode/log';
import { SERVERS_SETTING } from '../../../src/vscode/remote/ids';
import type { Services } from '../../../src/vscode/services';

type After = { after(fn: () => unknown): void };
type Stubbed = Record<string, unknown>;

/** Replaces a member of a fake `vscode` namespace for one test. */
export function stub(t: After, target: object, name: string, value: unknown) {
  const record = target as Stubbed;
  const original = record[name];
  record[name] = value;
  t.after(() => (record[name] = original));
}

/**
 * What the connection commands touch, kept in the open: the settings (user scope), the
 * SecretStorage, every log line and every message shown, so a test can look for a secret in all
 * of them.
 */
export function remoteFixture(t: After, runStore?: RunStore) {
  const settings = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const logLines: string[] = [];
  const messages: Array<{ level: string; text: string; buttons: string[] }> = [];

  log.dispose();
  stub(t, fake.window, 'createOutputChannel', () => {
    const line = (level: string) => (message: unknown) =>
      logLines.push(`${level}: ${message instanceof Error ? message.stack : String(message)}`);
    const levels = ['trace', 'debug', 'info', 'warn', 'error'];
    return Object.fromEntries([
      ...levels.map((level) => [level, line(level)]),
      ['show', () => undefined],
      ['dispose', () => undefined],
    ]);
  });
  t.after(() => log.dispose());
  stub(t, fake.workspace, 'getConfiguration', () => ({
    get: (key: string, fallback?: unknown) => (settings.has(key) ? settings.get(key) : fallback),
    update: async (key: string, value: unknown) => void settings.set(key, value),
  }));
  // Progress notifications record what they say; `cancelWhen` decides, per report, to cancel.
  const progressReports: string[] = [];
  const progress = { cancelWhen: (_message: string) => false };
  stub(t, fake.window, 'withProgress', (_options: unknown, task: Function) => {
    const cancel = new fake.EventEmitter<void>();
    const report = ({ message = '' }: { message?: string }) => {
      progressReports.push(message);
      if (progress.cancelWhen(message)) cancel.fire();
    };
    return task(
      { report },
      { isCancellationRequested: false, onCancellationRequested: cancel.event },
    );
  });
  for (const level of ['Error', 'Information', 'Warning']) {
    stub(t, fake.window, `show${level}Message`, async (text: string, ...buttons: string[]) => {
      messages.push({ level: level.toLowerCase(), text, buttons });
      return undefined;
    });
  }

  const context = {
    subscriptions: [] as Array<{ dispose(): void }>,
    secrets: {
      get: async (key: string) => secrets.get(key),
      store: async (key: string, value: string) => void secrets.set(key, value),
      delete: async (key: string) => void secrets.delete(key),
    },
  };
  t.after(() => context.subscriptions.forEach((item) => item.dispose()));
  const tracking = { runStore, state: runStore ? 'open' : 'none' };
  const services = { context, tracking } as unknown as Services;

  return {
    services,
    settings,
    secrets,
    logLines,
    messages,
    progressReports,
    progress,
    servers: () => (settings.get(SERVERS_SETTING) ?? []) as Array<{ name: string; url: string }>,
    /** Everything a user or another program could read outside SecretStorage. */
    visible: () => JSON.stringify([[...settings.entries()], logLines, messages, progressReports]),
  };
}

/** Answers input boxes in order, and quick picks with the item `pick` chooses. */
export function answer(
  t: After,
  inputs: string[],
  pick?: (items: Array<{ id?: string; label: string }>) => unknown,
) {
  const prompts: Array<{ password?: boolean; validateInput?: (text: string) => unknown }> = [];
  stub(t, fake.window, 'showInputBox', async (options: (typeof prompts)[number]) => {
    prompts.push(options);
    return inputs.shift();
  });
  stub(t, fake.window, 'showQuickPick', async (items: Array<{ id?: string; label: string }>) =>
    pick?.(items),
  );
  return prompts;
}
