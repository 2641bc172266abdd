import type { Command } from '../command';
import { driftCommand } from './drift';
import { importCommand } from './import';
import { runsCommand } from './runs';
import { serveCommand } from './serve';

/** The CLI's commands, in the order --help lists them. */
export const commands: Command[] = [serveCommand, runsCommand, importCommand, driftCommand];
