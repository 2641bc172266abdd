import * as vscode from 'vscode';
import { core } from '../core';
import { log } from '../log';
import type { ViewNode } from '../views/node';
import type { Connections, Credentials } from './connections';
import type { ServerEntry } from './model';

/**
 * "Connect to MLflow Server": asks for the URL and credentials, checks that the server is MLflow
 * and takes them (its search endpoint, then /health and the front page to explain a failure),
 * and saves the connection. Returns it, or undefined when the user cancelled or the check failed.
 * Tokens and passwords go to SecretStorage only: never to the setting, the log or a message.
 */
export async function connectServer(connections: Connections): Promise<ServerEntry | undefined> {
  const typed = await askUrl();
  if (typed === undefined) return undefined;
  const parsed = core().remote.parseServerUrl(typed);
  const url = parsed.display;

  const credentials =
    parsed.username !== undefined
      ? { username: parsed.username, password: parsed.password ?? '' }
      : await askCredentials(url);
  if (!credentials) return undefined;

  const checked = await check(url, credentials);
  if (!checked) return undefined;

  const server = { name: nameFor(connections.list(), url), url };
  await connections.save(server, credentials);
  const version = checked.version ? ` (MLflow ${checked.version})` : '';
  log.info(
    `Connected to ${url}${version} as '${server.name}', authentication: ${kindOf(credentials)}`,
  );
  void vscode.window.showInformationMessage(
    `Connected to ${url}${version}: its experiments and models are in the MLflow Servers view.`,
  );
  return server;
}

/** "Disconnect": the item's server, else one picked from the list. */
export async function disconnectServer(connections: Connections, arg: unknown): Promise<void> {
  const server = serverOf(connections, arg) ?? (await pickServer(connections, 'Disconnect'));
  if (!server) return;

  await connections.remove(server);
  log.info(`Disconnected from ${server.url}`);
  void vscode.window.showInformationMessage(
    `Disconnected from ${server.url}; its saved credentials were deleted.`,
  );
}

/** The server a view item belongs to, if the command was run on one. */
export function serverOf(connections: Connections, arg: unknown): ServerEntry | undefined {
  const data = (arg as ViewNode | undefined)?.data as { server?: unknown } | undefined;
  return typeof data?.server === 'string' ? connections.find(data.server) : undefined;
}

/** The only connection, or the one the user picks when there are several. */
export async function pickServer(
  connections: Connections,
  purpose: string,
): Promise<ServerEntry | undefined> {
  const servers = connections.list();
  if (servers.length <= 1) return servers[0];
  const items = servers.map((server) => ({ label: server.name, description: server.url, server }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `${purpose}: which MLflow server?`,
  });
  return picked?.server;
}

function askUrl(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Connect to MLflow Server (1/2)',
    prompt: "The tracking server's URL",
    placeHolder: 'https://mlflow.example.com or http://127.0.0.1:5000',
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (!text.trim()) return 'Type the URL of an MLflow tracking server';
      try {
        core().remote.parseServerUrl(text);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
}

async function askCredentials(url: string): Promise<Credentials | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'No authentication', id: 'none' },
      { label: 'Token', detail: 'Sent as Authorization: Bearer …', id: 'token' },
      { label: 'User name and password', detail: 'HTTP basic authentication', id: 'basic' },
    ],
    {
      title: `Connect to MLflow Server (2/2): how does ${url} authenticate?`,
      ignoreFocusOut: true,
    },
  );
  if (!choice) return undefined;
  if (choice.id === 'none') return {};

  if (choice.id === 'token') {
    const token = await askSecret(`The token for ${url}`, true);
    return token === undefined ? undefined : { token };
  }
  const username = await askSecret(`The user name for ${url}`, false);
  if (username === undefined) return undefined;
  const password = await askSecret(`The password of ${username} on ${url}`, true);
  return password === undefined ? undefined : { username, password };
}

function askSecret(prompt: string, password: boolean): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Connect to MLflow Server',
    prompt,
    password,
    ignoreFocusOut: true,
    validateInput: (text) => (text ? undefined : 'This cannot be empty'),
  });
}

/** Checks the server under a progress notification; says why it failed, with the log a click away. */
async function check(url: string, credentials: Credentials) {
  const client = new (core().remote.MlflowClient)({ url, ...credentials, logger: log, retries: 1 });
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking ${url}…` },
      () => client.checkServer(),
    );
  } catch (error) {
    log.error(error instanceof Error ? error : new Error(String(error)));
    const reason = error instanceof Error ? error.message : String(error);
    const choice = await vscode.window.showErrorMessage(
      `Could not connect to ${url}: ${reason}`,
      'Show Log',
    );
    if (choice === 'Show Log') log.show();
    return undefined;
  } finally {
    client.close();
  }
}

/** The URL's host (and path), made unique among the other connections' names. */
function nameFor(servers: ServerEntry[], url: string): string {
  const same = servers.find((server) => server.url === url);
  if (same) return same.name;
  const base = url.replace(/^https?:\/\//, '');
  let name = base;
  for (let n = 2; servers.some((server) => server.name === name); n++) name = `${base} (${n})`;
  return name;
}

function kindOf(credentials: Credentials): string {
  if (credentials.username !== undefined) return 'user name and password';
  return credentials.token ? 'token' : 'none';
}
