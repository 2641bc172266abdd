import * as vscode from 'vscode';
import {
  CloseAction,
  CodeLensRequest,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { Logger } from '../../core/log';
import {
  PARAMETER_AT_METHOD,
  type ParameterAtParams,
  type ParameterAtResult,
} from '../../protocol/language';
import type { LaunchRequest } from '../launch/request';

/**
 * One language-client session, built as its own bundle (dist/languageClient.js, about 800 KB
 * unminified) and loaded by LanguageService only once an MLproject or Python file is open, so
 * activation never pays for vscode-languageclient.
 */

export interface LastRunLens {
  title: string;
  tooltip: string;
  /** The arguments of modelFactory.experiments.openRun. */
  target: unknown;
}

export interface SessionOptions {
  serverModule: string;
  log: Logger & { show(): void };
  /** Settings the server starts with; later changes it pulls itself. */
  initializationOptions: { trainPatterns: string[]; evaluatePatterns: string[] };
  lastRun(request: LaunchRequest): LastRunLens | undefined;
  /** Markdown with a parameter's values in its entry point's last runs, or '' when none. */
  parameterHistory(mlproject: vscode.Uri, entryPoint: string, parameter: string): string;
}

export interface LanguageSession {
  /** Asks VS Code for the lenses again, so the "last run" lenses follow the store. */
  refreshLenses(): void;
  stop(): Promise<void>;
}

const LAUNCH_COMMAND = 'modelFactory.launch';
const OPEN_RUN_COMMAND = 'modelFactory.experiments.openRun';
/** Restarts allowed within RESTART_WINDOW_MS before the user is told the server keeps dying. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

export async function startSession(options: SessionOptions): Promise<LanguageSession> {
  // Its own channel: at `verbose`, modelFactory.trace.server writes every message in full, which
  // would bury the lifecycle lines of the Model Factory log. Start, stop and restarts still go
  // to that log.
  const channel = vscode.window.createOutputChannel('Model Factory Language Server', { log: true });
  const run = { module: options.serverModule, transport: TransportKind.ipc };
  const serverOptions: ServerOptions = { run, debug: run };
  // The hover middleware asks the server what is under the cursor, so it needs the client, which
  // needs these options first.
  let client: LanguageClient | undefined;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { language: 'mlproject' },
      { pattern: '**/MLproject' },
    ],
    outputChannel: channel,
    traceOutputChannel: channel,
    initializationOptions: options.initializationOptions,
    errorHandler: restartingHandler(options.log),
    middleware: {
      provideCodeLenses: async (document, token, next) => {
        const lenses = (await next(document, token)) ?? [];
        return lenses.flatMap((lens) => withLastRun(lens, options));
      },
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        if (!hover || !client) return hover;
        return withParameterHistory(client, hover, document, position, token, options);
      },
    },
  };
  // The id makes the client read modelFactory.trace.server for its protocol trace.
  client = new LanguageClient('modelFactory', 'Model Factory', serverOptions, clientOptions);

  const started = performance.now();
  try {
    await client.start();
  } catch (error) {
    channel.dispose();
    throw error;
  }
  options.log.info(
    `language server started in ${(performance.now() - started).toFixed(0)} ms (${options.serverModule})`,
  );
  return {
    refreshLenses: () => client && refreshLenses(client),
    stop: async () => {
      try {
        await client.stop(2000);
      } finally {
        channel.dispose();
        options.log.info('language server stopped');
      }
    },
  };
}

/** A "▶ Run"/"▶ Train"/"▶ Evaluate" lens gets a second lens for the last run started there. */
function withLastRun(lens: vscode.CodeLens, options: SessionOptions): vscode.CodeLens[] {
  const request = lens.command?.arguments?.[0] as LaunchRequest | undefined;
  if (lens.command?.command !== LAUNCH_COMMAND || !request || request.ask) return [lens];

  let last: LastRunLens | undefined;
  try {
    last = options.lastRun(request);
  } catch (error) {
    options.log.debug(`no last-run lens for ${request.uri}: ${String(error)}`);
  }
  if (!last) return [lens];
  const command = {
    title: last.title,
    tooltip: last.tooltip,
    command: OPEN_RUN_COMMAND,
    arguments: [last.target],
  };
  return [lens, new vscode.CodeLens(lens.range, command)];
}

/** A parameter's hover (from the server) gets the values it took in its entry point's last runs. */
async function withParameterHistory(
  client: LanguageClient,
  hover: vscode.Hover,
  document: vscode.TextDocument,
  position: vscode.Position,
  token: vscode.CancellationToken,
  options: SessionOptions,
): Promise<vscode.Hover> {
  try {
    const params: ParameterAtParams = {
      uri: client.code2ProtocolConverter.asUri(document.uri),
      position: { line: position.line, character: position.character },
    };
    const at = await client.sendRequest<ParameterAtResult>(PARAMETER_AT_METHOD, params, token);
    if (!at) return hover;
    const markdown = options.parameterHistory(document.uri, at.entryPoint, at.parameter);
    if (!markdown) return hover;
    // Not trusted and no HTML (the defaults): the values are escaped, and even so stay inert.
    return new vscode.Hover([...hover.contents, new vscode.MarkdownString(markdown)], hover.range);
  } catch (error) {
    options.log.debug(`no run history in the hover: ${String(error)}`);
    return hover;
  }
}

function refreshLenses(client: LanguageClient): void {
  const feature = client.getFeature(CodeLensRequest.method);
  const emitters = new Set<vscode.EventEmitter<void>>();
  for (const editor of vscode.window.visibleTextEditors) {
    const shape = feature.getProvider(editor.document);
    if (shape) emitters.add(shape.onDidChangeCodeLensEmitter);
  }
  for (const emitter of emitters) emitter.fire();
}

/**
 * Restarts a crashed server a few times, each with a line in the log; past MAX_RESTARTS in
 * RESTART_WINDOW_MS it gives up and tells the user, since a server that dies on start would
 * otherwise restart forever.
 */
function restartingHandler(log: SessionOptions['log']): ErrorHandler {
  const restarts: number[] = [];
  return {
    error: (error, _message, count) => {
      log.warn(`language server connection error (${count ?? 1}): ${error.message}`);
      return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
    },
    closed: (): CloseHandlerResult => {
      const now = Date.now();
      restarts.push(now);
      while (restarts.length > 0 && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length <= MAX_RESTARTS) {
        log.warn(`the language server stopped unexpectedly; restart ${restarts.length}`);
        return { action: CloseAction.Restart, handled: true };
      }
      log.error(
        `the language server crashed ${restarts.length} times in 3 minutes; not restarting`,
      );
      void notifyGaveUp(log);
      return { action: CloseAction.DoNotRestart, handled: true };
    },
  };
}

async function notifyGaveUp(log: SessionOptions['log']): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    'The Model Factory language server keeps crashing, so code lenses and MLproject checks are ' +
      'off until the window reloads. The log has the details.',
    'Show Log',
  );
  if (choice === 'Show Log') log.show();
}
