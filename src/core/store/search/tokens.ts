import { SearchSyntaxError } from './syntax-error';

/**
 * The tokens of MLflow's search syntax. `word` covers identifiers (`metrics.rmse`, `status`) and
 * keywords alike, because which one a word is depends on where the parser meets it. A `quoted`
 * token is a name in backticks or a string in single or double quotes; double quotes are a name
 * after `tags.` and a string after `=`, so that choice is also left to the parser.
 */
export type TokenKind = 'word' | 'quoted' | 'number' | 'operator' | '(' | ')' | ',' | 'end';

export interface Token {
  kind: TokenKind;
  /** The token as written, quotes included: what error messages show. */
  text: string;
  /** Quoted tokens: the content with doubled quotes undone. Others: the text. */
  value: string;
  /** The quote character of a quoted token. */
  quote?: '`' | "'" | '"';
  /** 1-based character position of the token's first character; the end is length + 1. */
  position: number;
}

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

// Beyond MLflow, a bare key may contain '-' and '/' after its first character, so the common
// `metrics.train/loss` needs no backticks; MLflow rejects such filters, so none changes meaning.
const wordStart = /[A-Za-z_]/;
const wordPart = /[A-Za-z0-9_.\-/]/;
const numberPattern = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const operatorPattern = /^(?:<=|>=|!=|=|<|>)/;
const quoteNames = { '`': 'backtick', "'": 'single quote', '"': 'double quote' } as const;

/** Splits a search expression into tokens, ending with an `end` token. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;

  while (index < source.length) {
    if (/\s/.test(source[index])) {
      index += 1;
      continue;
    }
    const token = readToken(source, index);
    tokens.push(token);
    index += token.text.length;
  }

  tokens.push({ kind: 'end', text: '', value: '', position: source.length + 1 });
  return tokens;
}

function readToken(source: string, start: number): Token {
  const char = source[start];
  const rest = source.slice(start);
  const position = start + 1;

  if (char === '`' || char === "'" || char === '"') return readQuoted(source, start, char);
  if (char === '(' || char === ')' || char === ',') {
    return { kind: char, text: char, value: char, position };
  }
  const operator = operatorPattern.exec(rest);
  if (operator) return simple('operator', operator[0], position);
  const number = numberPattern.exec(rest);
  if (number) return readNumber(source, start, number[0]);
  if (wordStart.test(char)) return simple('word', readWhile(source, start, wordPart), position);

  throw new SearchSyntaxError(`unexpected character '${char}' at position ${position}`);
}

function simple(kind: TokenKind, text: string, position: number): Token {
  return { kind, text, value: text, position };
}

function readWhile(source: string, start: number, part: RegExp): string {
  let end = start + 1;
  while (end < source.length && part.test(source[end])) end += 1;
  return source.slice(start, end);
}

// A number running straight into letters (`1abc`, `2e`) is a typo, not a number and a word.
function readNumber(source: string, start: number, text: string): Token {
  const next = source[start + text.length];
  if (next !== undefined && wordPart.test(next)) {
    const written = text + readWhile(source, start + text.length - 1, wordPart).slice(1);
    throw new SearchSyntaxError(`malformed number '${written}' at position ${start + 1}`);
  }
  return simple('number', text, start + 1);
}

// Inside quotes the quote character is written twice to stand for itself ('it''s'), as in SQL.
// Backslashes are kept as they are, so that they can escape LIKE wildcards.
function readQuoted(source: string, start: number, quote: '`' | "'" | '"'): Token {
  let value = '';
  let index = start + 1;

  while (index < source.length) {
    if (source[index] !== quote) {
      value += source[index];
      index += 1;
    } else if (source[index + 1] === quote) {
      value += quote;
      index += 2;
    } else {
      const text = source.slice(start, index + 1);
      return { kind: 'quoted', text, value, quote, position: start + 1 };
    }
  }

  throw new SearchSyntaxError(`unclosed ${quoteNames[quote]} opened at position ${start + 1}`);
}
