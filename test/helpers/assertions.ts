import assert from 'node:assert/strict';
import { MlflowError } from '../../src/core/store/errors';

/** Asserts that `work` throws an MlflowError with `code`, and a message matching `message`. */
export function rejectsWith(work: () => unknown, code: string, message?: RegExp): void {
  assert.throws(work, (error: unknown) => {
    assert.ok(error instanceof MlflowError, `expected an MlflowError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  });
}
