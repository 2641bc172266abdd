import * as vscode from 'vscode';
import type { Logger } from '../core/log';

/**
 * The one "Model Factory" log channel. Created on first use so that activation does no more than
 * it must; VS Code keeps the level (Developer: Set Log Level) per channel.
 */
let channel: vscode.LogOutputChannel | undefined;

function output(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Model Factory', { log: true });
  return channel;
}

export const log: Logger & { show(): void; dispose(): void } = {
  trace: (message) => output().trace(message),
  debug: (message) => output().debug(message),
  info: (message) => output().info(message),
  warn: (message) => output().warn(message),
  error: (message) => output().error(message),
  show: () => output().show(true),
  dispose: () => {
    channel?.dispose();
    channel = undefined;
  },
};

/**
 * Reports a failed user action: the error with its stack goes to the log, and the notification
 * says what went wrong and what to do, with a button that opens the log.
 */
export async function reportFailure(action: string, error: unknown, advice: string) {
  log.error(error instanceof Error ? error : new Error(String(error)));
  const reason = error instanceof Error ? error.message : String(error);
  const choice = await vscode.window.showErrorMessage(
    `${action} failed: ${reason}. ${advice}`,
    'Show Log',
  );
  if (choice === 'Show Log') log.show();
}
