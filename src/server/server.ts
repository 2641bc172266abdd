import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * The Model Factory language server: analysis of MLproject files, Python entry points and data
 * files runs here, off the extension host. It keeps the open documents in sync so that each
 * analysis reads the editor's text, not the file on disk.
 */
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
  },
  serverInfo: { name: 'Model Factory Language Server' },
}));

documents.listen(connection);
connection.listen();
