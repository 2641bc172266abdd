import { SearchSyntaxError, type SearchInput } from './syntax-error';
import { tokenize, type Operator, type Token } from './tokens';

/**
 * The syntax tree of a search filter, the same for runs, experiments and the registry: what an
 * identifier means is decided later by each entity's field table, so the parser knows only the
 * shape `<identifier> <comparator> <value>`, joined by AND and OR, grouped by parentheses.
 */
export interface FieldRef {
  /** The word before the first dot (`metrics`), absent for a bare name (`status`). */
  prefix?: string;
  /** The rest, unquoted: `rmse`, `f1 score`, `mlflow.runName`. */
  key: string;
  /** As written, for error messages. */
  text: string;
  position: number;
}

export interface Literal {
  kind: 'number' | 'string';
  value: number | string;
  text: string;
  position: number;
}

export type Comparator = Operator | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | 'IS NULL' | 'IS NOT NULL';

export interface Comparison {
  kind: 'comparison';
  field: FieldRef;
  comparator: Comparator;
  comparatorPosition: number;
  /** None for IS [NOT] NULL, one for the operators and LIKE, one or more for [NOT] IN. */
  values: Literal[];
}

export interface Junction {
  kind: 'and' | 'or';
  left: FilterNode;
  right: FilterNode;
}

export type FilterNode = Comparison | Junction;

export interface OrderClause {
  field: FieldRef;
  ascending: boolean;
}

/** Parses a filter; an empty or blank one gives undefined, meaning "everything". */
export function parseFilter(source: string): FilterNode | undefined {
  const parser = new Parser(tokenize(source), 'filter');
  if (parser.peek().kind === 'end') return undefined;

  const node = parser.disjunction();
  parser.expectEnd('AND, OR or the end of the filter');
  return node;
}

/** Parses one order_by entry: an identifier, then optionally ASC or DESC (ASC by default). */
export function parseOrderClause(source: string): OrderClause {
  const parser = new Parser(tokenize(source), 'order_by clause');
  const field = parser.fieldRef();

  const direction = parser.acceptWord('asc', 'desc');
  parser.expectEnd('ASC, DESC or the end of the clause');
  return { field, ascending: direction !== 'desc' };
}

// Words that cannot start an identifier; catching them here gives "expected an identifier"
// instead of a puzzling "unknown attribute 'and'".
const keywords = new Set(['and', 'or', 'not', 'in', 'is', 'like', 'ilike', 'null']);
const comparatorList = '=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL or IS NOT NULL';

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly input: SearchInput,
  ) {}

  peek(): Token {
    return this.tokens[this.index];
  }

  /** Consumes the next token when it is one of `words` (any case), returning it lower-cased. */
  acceptWord(...words: string[]): string | undefined {
    const token = this.peek();
    const word = token.kind === 'word' ? token.value.toLowerCase() : undefined;
    if (word === undefined || !words.includes(word)) return undefined;
    this.index += 1;
    return word;
  }

  expectEnd(expected: string): void {
    if (this.peek().kind !== 'end') this.fail(expected);
  }

  // OR binds looser than AND, as in SQL: `a OR b AND c` is `a OR (b AND c)`.
  disjunction(): FilterNode {
    let node = this.conjunction();
    while (this.acceptWord('or')) node = { kind: 'or', left: node, right: this.conjunction() };
    return node;
  }

  private conjunction(): FilterNode {
    let node = this.primary();
    while (this.acceptWord('and')) node = { kind: 'and', left: node, right: this.primary() };
    return node;
  }

  private primary(): FilterNode {
    if (this.peek().kind !== '(') return this.comparison();

    this.index += 1;
    const node = this.disjunction();
    if (this.peek().kind !== ')') this.fail("AND, OR or ')'");
    this.index += 1;
    return node;
  }

  private comparison(): Comparison {
    const field = this.fieldRef();
    const comparatorPosition = this.peek().position;
    const comparator = this.comparator(field);
    const values = this.values(comparator);
    return { kind: 'comparison', field, comparator, comparatorPosition, values };
  }

  fieldRef(): FieldRef {
    const word = this.peek();
    if (word.kind !== 'word' || keywords.has(word.value.toLowerCase())) {
      this.fail('an identifier such as metrics.rmse, params.alpha or tags.team');
    }
    this.index += 1;

    const dot = word.value.indexOf('.');
    const prefix = dot < 0 ? undefined : word.value.slice(0, dot);
    const key = word.value.slice(dot + 1);
    if (!word.value.endsWith('.')) return { prefix, key, text: word.text, position: word.position };
    return this.quotedName(word, prefix, key);
  }

  // `metrics.` followed by `f1 score` in backticks or double quotes; single quotes are for
  // values only, as in MLflow.
  private quotedName(word: Token, prefix: string | undefined, keyStart: string): FieldRef {
    const name = this.peek();
    if (name.kind !== 'quoted' || name.quote === "'") {
      this.fail(`a name in backticks or double quotes after '${word.text}'`);
    }
    if (name.value === '') {
      throw new SearchSyntaxError(`empty name after '${word.text}' at position ${name.position}`);
    }
    this.index += 1;

    const text = word.text + name.text;
    return { prefix, key: keyStart + name.value, text, position: word.position };
  }

  private comparator(field: FieldRef): Comparator {
    const token = this.peek();
    if (token.kind === 'operator') {
      this.index += 1;
      return token.value as Operator;
    }

    const word = this.acceptWord('like', 'ilike', 'in', 'not', 'is');
    if (word === 'like' || word === 'ilike' || word === 'in')
      return word.toUpperCase() as Comparator;
    if (word === 'not') {
      if (!this.acceptWord('in')) this.fail("IN after 'NOT'");
      return 'NOT IN';
    }
    if (word === 'is') {
      const negated = this.acceptWord('not') !== undefined;
      if (!this.acceptWord('null')) this.fail(negated ? "NULL after 'IS NOT'" : "NULL after 'IS'");
      return negated ? 'IS NOT NULL' : 'IS NULL';
    }
    return this.fail(`a comparator (${comparatorList}) after '${field.text}'`);
  }

  private values(comparator: Comparator): Literal[] {
    if (comparator === 'IS NULL' || comparator === 'IS NOT NULL') return [];
    if (comparator !== 'IN' && comparator !== 'NOT IN') {
      return [this.literal(`a value after '${comparator}'`)];
    }

    if (this.peek().kind !== '(') this.fail(`'(' after '${comparator}'`);
    this.index += 1;
    const values = [this.literal(`a value after '('`)];
    while (this.peek().kind === ',') {
      this.index += 1;
      values.push(this.literal(`a value after ','`));
    }
    if (this.peek().kind !== ')') this.fail("',' or ')'");
    this.index += 1;
    return values;
  }

  private literal(expected: string): Literal {
    const token = this.peek();
    const { text, position } = token;

    if (token.kind === 'number') {
      const value = Number(text);
      if (!Number.isFinite(value)) {
        throw new SearchSyntaxError(`number ${text} at position ${position} is out of range`);
      }
      this.index += 1;
      return { kind: 'number', value, text, position };
    }
    if (token.kind === 'quoted' && token.quote !== '`') {
      this.index += 1;
      return { kind: 'string', value: token.value, text, position };
    }
    const hint = token.kind === 'word' ? ' (strings go in single or double quotes)' : '';
    return this.fail(expected, hint);
  }

  fail(expected: string, hint = ''): never {
    const token = this.peek();
    const found = token.kind === 'end' ? ` (end of ${this.input})` : `, got ${quoteToken(token)}`;
    throw new SearchSyntaxError(
      `expected ${expected} at position ${token.position}${found}${hint}`,
    );
  }
}

/** Quoted tokens already show their quotes; others are put in single quotes. */
export function quoteToken(token: Token): string {
  return token.kind === 'quoted' ? token.text : `'${token.text}'`;
}
