/**
 * Building the panels' DOM. Every value from the workspace goes in as text (textContent or an
 * attribute set through the DOM), never as markup: there is no innerHTML anywhere in the panels.
 */
type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}

export function button(label: string, onClick: () => void, attributes: Attributes = {}) {
  const element = h('button', { type: 'button', ...attributes }, label);
  element.addEventListener('click', onClick);
  return element;
}

/** A section with a heading, for the panels' blocks (Parameters, Tags, Artifacts...). */
export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { 'aria-label': title }, h('h2', {}, title), ...children);
}

/** A two-column key/value table; keys and values as text. */
export function keyValueTable(rows: Array<{ key: string; value: string }>, empty: string) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  const body = h('tbody');
  for (const row of rows) {
    append(body, h('tr', {}, h('th', { scope: 'row' }, row.key), h('td', {}, row.value)));
  }
  return h('table', { class: 'kv' }, body);
}
