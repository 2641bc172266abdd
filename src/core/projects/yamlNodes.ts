import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  Scalar,
  visit,
  type Alias,
  type Document,
  type Node,
} from 'yaml';
import type { Span } from './report';

/** Small readers over the `yaml` package's nodes, which carry their offsets in `range`. */

/** A key and its value, with an alias in the value already followed to the node it names. */
export interface KeyValue {
  key: unknown;
  value: unknown;
}

export function nodeSpan(node: unknown): Span | undefined {
  if (!isNode(node) || !node.range) return undefined;
  return [node.range[0], node.range[1]];
}

/** Where to report a problem with a value: the value, or the key when the value is empty. */
export function valueSpan(entry: KeyValue): Span {
  const value = nodeSpan(entry.value);
  if (value && value[1] > value[0]) return value;
  return nodeSpan(entry.key) ?? [0, 0];
}

export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') return undefined;
  return typeof node.value === 'symbol' ? undefined : String(node.value);
}

/** `key:` with nothing after it, or a value a syntax error left out. */
export function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/**
 * The entries of a mapping, with aliases followed and `<<` merge keys expanded, as MLflow's
 * YAML 1.1 loader reads them; an entry written in the mapping wins over a merged one. Each
 * merged mapping is expanded once, which also stops a mapping that merges itself.
 */
export function mapPairs(node: unknown, doc: Document, expanded = new Set<unknown>()): KeyValue[] {
  const map = resolveAlias(node, doc);
  if (!isMap(map) || expanded.has(map)) return [];
  expanded.add(map);

  const own: KeyValue[] = [];
  const merged: KeyValue[] = [];
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) own.push({ key: pair.key, value: resolveAlias(pair.value, doc) });
    else
      merged.push(
        ...mergeSources(pair.value, doc).flatMap((source) => mapPairs(source, doc, expanded)),
      );
  }
  const ownKeys = new Set(own.map((entry) => scalarString(entry.key)));
  return [...own, ...merged.filter((entry) => !ownKeys.has(scalarString(entry.key)))];
}

export function pairOf(node: unknown, key: string, doc: Document): KeyValue | undefined {
  return mapPairs(node, doc).find((entry) => scalarString(entry.key) === key);
}

export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || key.value === '<<');
}

function mergeSources(value: unknown, doc: Document): unknown[] {
  const resolved = resolveAlias(value, doc);
  return isSeq(resolved) ? resolved.items.map((item) => resolveAlias(item, doc)) : [resolved];
}

/** Follows an alias to its anchored node; an alias naming no anchor reads as nothing. */
export function resolveAlias(node: unknown, doc: Document): unknown {
  return isAlias(node) ? aliasTargets(doc).get(node) : node;
}

const targetsByDocument = new WeakMap<Document, Map<Alias, Node | undefined>>();

/**
 * What every alias of a document names: the last node before it with that anchor. `Alias.resolve`
 * walks the whole document on each call, which a file full of aliases would make quadratic.
 */
export function aliasTargets(doc: Document): Map<Alias, Node | undefined> {
  const cached = targetsByDocument.get(doc);
  if (cached) return cached;

  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) targets.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  targetsByDocument.set(doc, targets);
  return targets;
}

/**
 * The plain value of a node down to `depth` levels, deeper collections left undefined: enough to
 * check a shape with zod, and bounded, unlike `toJS`, in documents that nest aliases to explode.
 */
export function plainValue(node: unknown, doc: Document, depth = 2): unknown {
  const resolved = resolveAlias(node, doc);
  if (isScalar(resolved)) return resolved.value;
  if (depth === 0) return undefined;
  if (isSeq(resolved)) return resolved.items.map((item) => plainValue(item, doc, depth - 1));
  if (!isMap(resolved)) return null;
  const entries = mapPairs(resolved, doc).map((entry) => [
    scalarString(entry.key) ?? '',
    plainValue(entry.value, doc, depth - 1),
  ]);
  return Object.fromEntries(entries);
}

/**
 * The source text of a plain or quoted scalar, in which placeholders and operators appear as
 * written. Block scalars strip indentation line by line, so they are left out.
 */
export function inlineScalarSource(node: unknown, text: string): string | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const inline = [Scalar.PLAIN, Scalar.QUOTE_SINGLE, Scalar.QUOTE_DOUBLE];
  if (!inline.includes(node.type as (typeof inline)[number])) return undefined;
  return text.slice(node.range[0], node.range[1]);
}

/** A scalar's text as written when plain (`1.0` stays `1.0`), else its value. */
export function scalarText(node: Scalar, text: string): string {
  if (node.type === Scalar.PLAIN && node.range) return text.slice(node.range[0], node.range[1]);
  return String(node.value);
}
