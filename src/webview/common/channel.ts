import type { ZodType } from 'zod';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** A page may acquire the VS Code API only once; every channel of the page shares it. */
let api: VsCodeApi | undefined;
const vscodeApi = () => (api ??= acquireVsCodeApi());

/**
 * A page's side of its protocol: what arrives is checked against the host's schema before it is
 * handled, anything else is reported to the host's log and dropped, failures in handlers are
 * reported too, and `ready` is sent once the page listens, so the host sends data only to a page
 * that listens. Each panel's messaging module makes one of these from its own schemas.
 */
export function createChannel<
  Incoming extends { type: string },
  Outgoing extends { type: string },
  State,
>(incoming: ZodType<Incoming>, stateSchema: ZodType<State>) {
  const send = (message: Outgoing | { type: 'ready' } | ReportMessage) =>
    vscodeApi().postMessage(message);
  const report = (level: 'warn' | 'error', message: string) =>
    send({ type: 'report', level, message: message.slice(0, 2000) });

  function listen(handle: (message: Incoming) => void): void {
    window.addEventListener('message', (event: MessageEvent) => {
      const parsed = incoming.safeParse(event.data);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        report(
          'warn',
          `ignored a message from the host: ${issue?.path.join('.')} ${issue?.message}`,
        );
        return;
      }
      try {
        handle(parsed.data);
      } catch (error) {
        report(
          'error',
          `handling ${parsed.data.type}: ${String((error as Error)?.stack ?? error)}`,
        );
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

  /** The saved state, if it is one this page can read; what it shows comes back from it. */
  function loadState(): State | undefined {
    const parsed = stateSchema.safeParse(vscodeApi().getState());
    return parsed.success ? parsed.data : undefined;
  }

  return {
    send: send as (message: Outgoing) => void,
    listen,
    report,
    loadState,
    saveState: (state: State) => vscodeApi().setState(state),
  };
}

type ReportMessage = { type: 'report'; level: 'warn' | 'error'; message: string };
