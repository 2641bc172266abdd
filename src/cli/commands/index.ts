import type { Command } from '../command';
import { runsCommand } from './runs';

/** The CLI's commands, in the order --help lists them. */
export const commands: Command[] = [runsCommand];
