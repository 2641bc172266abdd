import { maskPython } from './pythonSource';

/**
 * Finds where a Python file can be trained or evaluated from, for code lenses: top-level
 * functions whose names match the configured patterns, and the `if __name__ == "__main__":`
 * guard of a script that logs with mlflow or the bundled model_factory module.
 */

export type EntryPointKind = 'train' | 'evaluate';

export interface PythonEntryPoint {
  kind: EntryPointKind;
  /** 0-based line of the `def` or `if`. */
  line: number;
  /** The function name, or `__main__` for the guard. */
  name: string;
}

export type EntryPointPatterns = Record<EntryPointKind, string[]>;

export const DEFAULT_ENTRY_POINT_PATTERNS: EntryPointPatterns = {
  train: ['train*', 'fit*'],
  evaluate: ['evaluate*', 'eval*'],
};

const TOP_LEVEL_DEF = /^(?:async\s+)?def\s+([\p{L}_][\p{L}\p{N}_]*)\s*\(/u;
const MAIN_GUARD =
  /^if\s*\(?\s*(?:__name__\s*==\s*(["'])__main__\1|(["'])__main__\2\s*==\s*__name__)\s*\)?\s*:/;
const TRACKING_MODULES = new Set(['mlflow', 'model_factory']);

/** `fileName` (a path or a base name) decides the guard's kind: evaluate for eval*.py. */
export function findPythonEntryPoints(
  text: string,
  patterns: EntryPointPatterns = DEFAULT_ENTRY_POINT_PATTERNS,
  fileName = '',
): PythonEntryPoint[] {
  const code = maskPython(text).split(/\r?\n|\r/);
  const raw = text.split(/\r?\n|\r/);
  const matchers = compilePatterns(patterns);
  const tracked = usesTracking(code);

  const found: PythonEntryPoint[] = [];
  code.forEach((line, index) => {
    const def = TOP_LEVEL_DEF.exec(line);
    const kind = def ? matchers.find((matcher) => matcher.test(def[1]))?.kind : undefined;
    if (def && kind) found.push({ kind, line: index, name: def[1] });
    // The guard's string is blanked in `code`, so it is matched on the raw line once `code`
    // shows that the line starts with real code.
    if (tracked && line.startsWith('if') && MAIN_GUARD.test(raw[index])) {
      found.push({ kind: guardKind(fileName), line: index, name: '__main__' });
    }
  });
  return found;
}

/** Whether the code imports mlflow or model_factory, at any depth and in any import form. */
function usesTracking(code: string[]): boolean {
  const statements = code.flatMap((line) => line.split(';')).map((part) => part.trim());
  return statements.some((statement) => importedModules(statement).some(isTrackingModule));
}

function importedModules(statement: string): string[] {
  const from = /^from\s+([\w.]+)\s+import\b/.exec(statement);
  if (from) return [from[1]];
  const plain = /^import\s+(.+)$/.exec(statement);
  if (!plain) return [];
  return plain[1].split(',').map((part) => part.trim().split(/\s+/)[0]);
}

function isTrackingModule(module: string): boolean {
  return TRACKING_MODULES.has(module.split('.')[0]);
}

function guardKind(fileName: string): EntryPointKind {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base.toLowerCase().startsWith('eval') ? 'evaluate' : 'train';
}

interface Matcher {
  kind: EntryPointKind;
  test(name: string): boolean;
}

function compilePatterns(patterns: EntryPointPatterns): Matcher[] {
  const kinds: EntryPointKind[] = ['train', 'evaluate'];
  return kinds.flatMap((kind) =>
    (patterns[kind] ?? []).map((pattern) => {
      const regex = globOrNothing(pattern);
      return { kind, test: (name: string) => regex?.test(name) ?? name === pattern };
    }),
  );
}

/** A pattern from the settings that is not a valid glob (`[z-a]`) matches only its own text. */
function globOrNothing(pattern: string): RegExp | undefined {
  try {
    return globToRegExp(pattern);
  } catch {
    return undefined;
  }
}

/** `*`, `?` and `[...]` (with `!` for negation), as in Python's fnmatch; the rest is literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let at = 0; at < glob.length; at++) {
    const char = glob[at];
    const close = char === '[' ? glob.indexOf(']', at + 2) : -1;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (close > 0) {
      const inside = glob
        .slice(at + 1, close)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      source += `[${inside}]`;
      at = close;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}
