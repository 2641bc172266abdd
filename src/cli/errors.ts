/** A mistake in how the command was called or in its input: one line on stderr, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes of the CLI contract (DESIGN.md). */
export const ExitCode = { ok: 0, drift: 1, usage: 2 } as const;
