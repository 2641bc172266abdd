import type { Command } from '../command';
import { compareCommand } from './compare';
import { driftCommand } from './drift';
import { importCommand } from './import';
import { pullCommand } from './pull';
import { pushCommand } from './push';
import { registerCommand } from './register';
import { runCommand } from './run';
import { runsCommand } from './runs';
import { scoreCommand } from './score';
import { serveCommand } from './serve';
import { serveModelCommand } from './serve-model';

/** The CLI's commands, in the order --help lists them. */
export const commands: Command[] = [
  serveCommand,
  runsCommand,
  importCommand,
  pushCommand,
  pullCommand,
  driftCommand,
  runCommand,
  registerCommand,
  scoreCommand,
  serveModelCommand,
  compareCommand,
];
