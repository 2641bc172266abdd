import type { HostMessage } from '../../protocol/panels';
import { append, button, clear, h } from './dom';
import { formatBytes } from './format';
import { send } from './messaging';

type Listing = Extract<HostMessage, { type: 'artifacts' }>;
type Preview = Extract<HostMessage, { type: 'preview' }>;

/**
 * A run's artifacts as a tree that loads each folder when it is opened. A file's name opens it
 * in an editor; "Preview" shows images and JSON in place (an image as an <img> of a data: URL,
 * JSON and text as the text of a <pre>: nothing from an artifact is ever parsed as HTML).
 */
export class ArtifactTree {
  readonly element = h('div', { class: 'tree' });
  private readonly folders = new Map<string, HTMLElement>();
  private readonly previews = new Map<string, HTMLElement>();

  load(path: string): void {
    send({ type: 'listArtifacts', path });
  }

  onListing(listing: Listing): void {
    const list = h('ul', { role: listing.path === '' ? 'tree' : 'group' });
    if (listing.files.length === 0 && listing.path === '') {
      clear(this.element);
      append(this.element, h('p', { class: 'empty' }, 'No artifacts logged.'));
      return;
    }
    for (const file of listing.files) {
      const full = listing.path ? `${listing.path}/${file.path}` : file.path;
      append(
        list,
        file.isDir ? this.folder(full, file.path) : this.file(full, file.path, file.size),
      );
    }
    const target = listing.path === '' ? this.element : this.folders.get(listing.path);
    if (!target) return;
    if (target === this.element) clear(target);
    target.querySelector(':scope > ul')?.remove();
    target.appendChild(list);
  }

  onPreview(preview: Preview): void {
    const target = this.previews.get(preview.path);
    if (!target) return;
    clear(target);
    if (preview.kind === 'image') {
      append(target, h('img', { src: preview.content, alt: `Preview of ${preview.path}` }));
    } else if (preview.kind === 'none') {
      append(target, h('p', { class: 'empty' }, preview.content));
    } else {
      append(target, h('pre', {}, preview.content));
    }
  }

  private folder(full: string, name: string): HTMLElement {
    const details = h('details', {}, h('summary', {}, `${name}/`));
    const item = h('li', { role: 'treeitem' }, details);
    this.folders.set(full, details);
    details.addEventListener('toggle', () => {
      if (details.open && !details.querySelector(':scope > ul')) this.load(full);
    });
    return item;
  }

  private file(full: string, name: string, size: number | undefined): HTMLElement {
    const preview = h('div', { class: 'preview', hidden: true });
    this.previews.set(full, preview);
    const toggle = button(
      'Preview',
      () => {
        preview.hidden = !preview.hidden;
        toggle.setAttribute('aria-expanded', String(!preview.hidden));
        if (!preview.hidden && !preview.firstChild) send({ type: 'previewArtifact', path: full });
      },
      { 'aria-expanded': 'false' },
    );
    return h(
      'li',
      { role: 'treeitem' },
      h(
        'span',
        { class: 'entry' },
        button(name, () => send({ type: 'openArtifact', path: full }), {
          class: 'link',
          title: `Open ${full}`,
        }),
        h('span', { class: 'size' }, formatBytes(size)),
        toggle,
      ),
      preview,
    );
  }
}
