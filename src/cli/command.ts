import type { Writable } from 'node:stream';

/** What a command gets: its own arguments and the streams to print to. */
export interface CommandContext {
  args: string[];
  stdout: Writable;
  stderr: Writable;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(context: CommandContext): Promise<number>;
}
