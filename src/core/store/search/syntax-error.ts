import { invalid, type MlflowError } from '../errors';

/**
 * A problem found while reading or compiling one search expression. It carries only the detail
 * ("expected a value after '<' at position 14"); `withSource` adds which expression it was, so
 * the tokenizer, parser and compilers need not thread the whole input through every call.
 */
export class SearchSyntaxError extends Error {
  override readonly name = 'SearchSyntaxError';
}

/** What is being read, as the error message names it: a filter or one order_by clause. */
export type SearchInput = 'filter' | 'order_by clause';

/**
 * Runs `read` over one expression and turns its syntax errors into MLflow's
 * INVALID_PARAMETER_VALUE, quoting the expression so the user sees what was rejected.
 */
export function withSource<T>(input: SearchInput, source: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof SearchSyntaxError) throw toInvalid(input, source, error);
    throw error;
  }
}

function toInvalid(input: SearchInput, source: string, error: SearchSyntaxError): MlflowError {
  return invalid(`Invalid ${input} '${source}': ${error.message}`);
}
