import '../common/zod';
import { DriftHostMessage, DriftPanelState, type DriftWebviewMessage } from '../../protocol/drift';

/**
 * The drift page's side of its protocol (src/protocol/drift.ts), shaped as common/messaging.ts
 * is for the other panels: what arrives is checked before it is handled, failures go to the
 * host's log, and `ready` is sent once the page listens. A page may acquire the VS Code API only
 * once, so this module is the only one here that does, and the page imports no common/messaging.
 */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

export function send(message: DriftWebviewMessage): void {
  vscode.postMessage(message);
}

export function listen(handle: (message: DriftHostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const parsed = DriftHostMessage.safeParse(event.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      report('warn', `ignored a message from the host: ${issue?.path.join('.')} ${issue?.message}`);
      return;
    }
    try {
      handle(parsed.data);
    } catch (error) {
      report('error', `handling ${parsed.data.type}: ${String((error as Error)?.stack ?? error)}`);
    }
  });
  document.addEventListener('securitypolicyviolation', (event) => {
    report(
      'error',
      `content security policy blocked ${event.blockedURI} (${event.violatedDirective})`,
    );
  });
  send({ type: 'ready' });
}

export function report(level: 'warn' | 'error', message: string): void {
  send({ type: 'report', level, message: message.slice(0, 2000) });
}

export function loadState(): DriftPanelState | undefined {
  const parsed = DriftPanelState.safeParse(vscode.getState());
  return parsed.success ? parsed.data : undefined;
}

export function saveState(state: DriftPanelState): void {
  vscode.setState(state);
}
