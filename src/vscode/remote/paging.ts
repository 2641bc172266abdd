/**
 * The lists the MLflow Servers view reads page by page (experiments, runs, registered models,
 * versions), cached per connection until a refresh, so expanding and collapsing costs no request.
 * No `vscode` import: it travels in dist/core.js with the view's model.
 */

/** A list read page by page: what has been read, and the token of the next page. */
export interface Paged<T> {
  items: T[];
  nextPageToken?: string;
}

export type ReadPage<T> = (pageToken?: string) => Promise<Paged<T>>;

/** One connection's lists, by key (`experiments`, `runs:<id>`, `models`, `versions:<name>`). */
export class PagedLists {
  private readonly lists = new Map<string, Promise<Paged<unknown>>>();

  /** The pages read so far, reading the first on first use. A failed read is not kept. */
  async get<T>(key: string, read: ReadPage<T>): Promise<Paged<T>> {
    let request = this.lists.get(key) as Promise<Paged<T>> | undefined;
    if (!request) {
      request = read();
      this.lists.set(key, request);
    }
    try {
      return await request;
    } catch (error) {
      if (this.lists.get(key) === request) this.lists.delete(key);
      throw error;
    }
  }

  /**
   * Appends the next page to a list that has one. A failure throws and keeps what was shown, so
   * "Show more" can try again.
   */
  async more<T>(key: string, read: ReadPage<T>): Promise<void> {
    const current = await this.peek<T>(key);
    if (!current?.nextPageToken) return;

    const page = await read(current.nextPageToken);
    const items = [...current.items, ...page.items];
    this.lists.set(key, Promise.resolve({ items, nextPageToken: page.nextPageToken }));
  }

  /** Puts a changed item in place in a list already read, so its row shows the change. */
  async replace<T>(key: string, same: (item: T) => boolean, item: T): Promise<void> {
    const request = this.lists.get(key);
    const current = await this.peek<T>(key);
    if (!current || this.lists.get(key) !== request) return;
    const items = current.items.map((old) => (same(old) ? item : old));
    this.lists.set(key, Promise.resolve({ ...current, items }));
  }

  /** The list as read so far, or undefined when it was never read (or its read failed). */
  async peek<T>(key: string): Promise<Paged<T> | undefined> {
    const request = this.lists.get(key) as Promise<Paged<T>> | undefined;
    return request?.catch(() => undefined);
  }

  forget(key: string): void {
    this.lists.delete(key);
  }
}
