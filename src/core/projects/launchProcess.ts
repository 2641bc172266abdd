import { spawn } from 'node:child_process';

/** How runTracked starts a process; tests pass a fake, the extension {@link spawnRunner}. */
export interface ProcessSpec {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ProcessExit {
  /** The exit code; null when a signal ended the process or it never started. */
  code: number | null;
  /** Set when the process was terminated (by close() of the task, or from outside). */
  signal?: string;
  /** Set when the process could not start at all (spawn ENOENT: no such interpreter). */
  error?: NodeJS.ErrnoException;
}

export interface RunningProcess {
  exit: Promise<ProcessExit>;
  kill(): void;
}

/** Starts the process and reports stdout and stderr, in the order they arrive, to onOutput. */
export type ProcessRunner = (spec: ProcessSpec, onOutput: (text: string) => void) => RunningProcess;

/** The real runner: the argument vector goes to the program as it is, never through a shell. */
export const spawnRunner: ProcessRunner = (spec, onOutput) => {
  const child = spawn(spec.argv[0], spec.argv.slice(1), {
    cwd: spec.cwd,
    env: spec.env,
    shell: false,
    windowsHide: true,
  });
  // setEncoding decodes across chunk boundaries, so a character split in two arrives whole.
  child.stdout.setEncoding('utf8').on('data', onOutput);
  child.stderr.setEncoding('utf8').on('data', onOutput);

  const exit = new Promise<ProcessExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    // 'close' rather than 'exit': it waits until both pipes are drained, so no output is lost.
    child.once('close', (code, signal) => resolve({ code, signal: signal ?? undefined }));
  });
  return {
    exit,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
};
