/**
 * The logging seam for code that must not import `vscode`. The extension passes a logger backed
 * by the "Model Factory" LogOutputChannel; the CLI passes one that writes to stderr; tests pass
 * one that records lines. Messages never carry tokens or data rows.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Writes warnings and errors to stderr, and everything when `verbose` is set (the CLI). */
export function stderrLogger(verbose = false): Logger {
  const write = (level: string, message: string | Error) => {
    const text = message instanceof Error ? (message.stack ?? message.message) : message;
    process.stderr.write(`model-factory: ${level}: ${text}\n`);
  };
  return {
    trace: (m) => verbose && write('trace', m),
    debug: (m) => verbose && write('debug', m),
    info: (m) => verbose && write('info', m),
    warn: (m) => write('warning', m),
    error: (m) => write('error', m),
  };
}
