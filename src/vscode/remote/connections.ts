import * as vscode from 'vscode';
import type { MlflowClient } from '../../core/tracking/remote';
import { core } from '../core';
import { log } from '../log';
import type { Services } from '../services';
import { secretKey, SERVERS_SETTING } from './ids';
import type { ServerEntry } from './model';

/** What a connection authenticates with; kept in SecretStorage only, as JSON. */
export interface Credentials {
  token?: string;
  username?: string;
  password?: string;
}

/**
 * The MLflow servers the user connected to: names and URLs in the setting
 * modelFactory.remote.servers (user settings, so every workspace sees them), credentials in
 * VS Code's SecretStorage under a key per URL. One client per server is kept, for its connection
 * pool, until the server is disconnected or its entry changes.
 */
export class Connections implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly clients = new Map<string, MlflowClient>();
  private readonly settingsWatch: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.settingsWatch = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SERVERS_SETTING)) return;
      this.closeClients();
      this.changed.fire();
    });
  }

  /** The connections in the setting; malformed entries (a hand edit) are left out. */
  list(): ServerEntry[] {
    const value = vscode.workspace.getConfiguration().get<unknown>(SERVERS_SETTING, []);
    if (!Array.isArray(value)) return [];
    return value.filter(
      (entry): entry is ServerEntry =>
        typeof entry?.name === 'string' && typeof entry?.url === 'string',
    );
  }

  find(name: string): ServerEntry | undefined {
    return this.list().find((entry) => entry.name === name);
  }

  /** A client for the server, with its credentials from SecretStorage. */
  async client(server: ServerEntry): Promise<MlflowClient> {
    const open = this.clients.get(server.url);
    if (open) return open;

    const credentials = await this.credentials(server.url);
    const client = new (core().remote.MlflowClient)({
      url: server.url,
      ...credentials,
      logger: log,
    });
    this.clients.set(server.url, client);
    return client;
  }

  /** Saves a connection: the secret first, so the setting never names a server without it. */
  async save(server: ServerEntry, credentials: Credentials): Promise<void> {
    if (credentials.token || credentials.password !== undefined) {
      await this.secrets.store(secretKey(server.url), JSON.stringify(credentials));
    } else {
      await this.secrets.delete(secretKey(server.url));
    }
    const others = this.list().filter((e) => e.url !== server.url && e.name !== server.name);
    this.forget(server.url);
    await this.write([...others, { name: server.name, url: server.url }]);
    this.changed.fire();
  }

  /** Removes the connection from the setting and its credentials from SecretStorage. */
  async remove(server: ServerEntry): Promise<void> {
    await this.write(this.list().filter((entry) => entry.name !== server.name));
    if (!this.list().some((entry) => entry.url === server.url)) {
      await this.secrets.delete(secretKey(server.url));
    }
    this.forget(server.url);
    this.changed.fire();
  }

  dispose(): void {
    this.closeClients();
    this.settingsWatch.dispose();
    this.changed.dispose();
  }

  /** The server's credentials as Connect saved them; none is {}, an unreadable secret undefined. */
  async savedCredentials(url: string): Promise<Credentials | undefined> {
    const stored = await this.secrets.get(secretKey(url));
    if (!stored) return {};
    try {
      const { token, username, password } = JSON.parse(stored) as Credentials;
      return { token, username, password };
    } catch {
      return undefined;
    }
  }

  private async credentials(url: string): Promise<Credentials> {
    const saved = await this.savedCredentials(url);
    if (saved) return saved;
    log.warn(`The saved credentials of ${url} are unreadable; connect to it again`);
    return {};
  }

  private write(servers: ServerEntry[]): Thenable<void> {
    const settings = vscode.workspace.getConfiguration();
    return settings.update(SERVERS_SETTING, servers, vscode.ConfigurationTarget.Global);
  }

  private forget(url: string): void {
    this.clients.get(url)?.close();
    this.clients.delete(url);
  }

  private closeClients(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** One set of connections per window; the view and the commands share it. */
const connections = new WeakMap<object, Connections>();

export function connectionsOf(services: Services): Connections {
  let found = connections.get(services.context);
  if (!found) {
    found = new Connections(services.context.secrets);
    connections.set(services.context, found);
    services.context.subscriptions?.push(found);
  }
  return found;
}
