import type { Command } from '../command';

/** The CLI's commands, in the order --help lists them. */
export const commands: Command[] = [];
