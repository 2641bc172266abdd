import {
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { EntryPointPatterns } from '../core/projects/entryPoints';
import {
  PARAMETER_AT_METHOD,
  type ParameterAtParams,
  type ParameterAtResult,
} from '../protocol/language';
import {
  diagnosticsFor,
  isMlprojectUri,
  isPythonUri,
  mlprojectCompletions,
  mlprojectHover,
  mlprojectLenses,
  mlprojectParameterAt,
  pythonLenses,
  readPatterns,
} from './analysis';
import { DiagnosticsScheduler } from './diagnostics';

/**
 * The Model Factory language server: analysis of MLproject files and Python entry points runs
 * here, off the extension host. It knows nothing of the run store: the client adds what comes
 * from the store (the "last run" lens). Every handler is guarded, so a document the analyses
 * trip over costs one log line, never a dead server.
 */
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let patterns: EntryPointPatterns = readPatterns(undefined);
let canPullSettings = false;

const diagnostics = new DiagnosticsScheduler(200, (uri) => {
  const document = documents.get(uri);
  if (!document || !isMlproject(document)) return;
  const found = guarded('diagnostics', () => diagnosticsFor(document.getText()), []);
  void connection.sendDiagnostics({ uri, version: document.version, diagnostics: found });
});

connection.onInitialize((params) => {
  patterns = readPatterns(params.initializationOptions);
  canPullSettings = params.capabilities.workspace?.configuration === true;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionItemProvider: { triggerCharacters: [':', ' '] },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
    },
    serverInfo: { name: 'Model Factory Language Server' },
  };
});

connection.onInitialized(() => {
  if (canPullSettings) {
    void connection.client.register(DidChangeConfigurationNotification.type, {
      section: 'modelFactory.launch',
    });
  }
});

// Pulled on each change rather than read from the notification: the pushed payload's shape
// depends on the client's synchronize options, the pulled one does not.
connection.onDidChangeConfiguration(async (change) => {
  const settings = canPullSettings
    ? await connection.workspace.getConfiguration('modelFactory.launch').catch(() => undefined)
    : (change.settings as { modelFactory?: { launch?: unknown } })?.modelFactory?.launch;
  patterns = readPatterns(settings);
  void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
});

documents.onDidOpen((event) => diagnostics.schedule(event.document.uri, 0));
documents.onDidChangeContent((event) => diagnostics.schedule(event.document.uri));
documents.onDidClose((event) => {
  diagnostics.cancel(event.document.uri);
  if (isMlproject(event.document)) {
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  }
});

connection.onCodeLens(({ textDocument }) => {
  const document = documents.get(textDocument.uri);
  if (!document) return [];
  const text = document.getText();
  if (isMlproject(document))
    return guarded('lenses', () => mlprojectLenses(document.uri, text), []);
  if (isPython(document)) {
    return guarded('lenses', () => pythonLenses(document.uri, text, patterns), []);
  }
  return [];
});

connection.onCompletion(({ textDocument, position }) => {
  const document = documents.get(textDocument.uri);
  if (!document || !isMlproject(document)) return [];
  return guarded('completion', () => mlprojectCompletions(document.getText(), position), []);
});

connection.onHover(({ textDocument, position }) => {
  const document = documents.get(textDocument.uri);
  if (!document || !isMlproject(document)) return null;
  return guarded('hover', () => mlprojectHover(document.getText(), position), undefined) ?? null;
});

connection.onRequest(
  PARAMETER_AT_METHOD,
  ({ uri, position }: ParameterAtParams): ParameterAtResult => {
    const document = documents.get(uri);
    if (!document || !isMlproject(document)) return null;
    return guarded('parameterAt', () => mlprojectParameterAt(document.getText(), position), null);
  },
);

connection.onShutdown(() => diagnostics.dispose());

function isMlproject(document: TextDocument): boolean {
  return document.languageId === 'mlproject' || isMlprojectUri(document.uri);
}

function isPython(document: TextDocument): boolean {
  return document.languageId === 'python' || isPythonUri(document.uri);
}

/** Runs one analysis; a failure is logged with its stack and answered with `fallback`. */
function guarded<T>(what: string, analysis: () => T, fallback: T): T {
  try {
    return analysis();
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    connection.console.error(`${what} failed: ${detail}`);
    return fallback;
  }
}

documents.listen(connection);
connection.listen();
