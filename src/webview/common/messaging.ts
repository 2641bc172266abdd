import './zod';
import {
  HostMessage,
  PanelState,
  type PanelState as State,
  type WebviewMessage,
} from '../../protocol/panels';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

export function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

/**
 * Calls `handle` with each message from the host that passes the schema; anything else is
 * reported to the host's log and dropped. Then announces `ready`, so the host sends data only
 * to a page that listens.
 */
export function listen(handle: (message: HostMessage) => void): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const parsed = HostMessage.safeParse(event.data);
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
  // A blocked resource or inline script would fail quietly; the log should say so.
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

/** The saved state, if it is one this page can read; what it shows comes back from it. */
export function loadState(): State | undefined {
  const parsed = PanelState.safeParse(vscode.getState());
  return parsed.success ? parsed.data : undefined;
}

export function saveState(state: State): void {
  vscode.setState(state);
}
