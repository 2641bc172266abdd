import { ExitCode, UsageError } from './errors';
import type { Command, CommandContext } from './command';
import { commands } from './commands';

declare const MODEL_FACTORY_VERSION: string | undefined;

function version(): string {
  // esbuild defines the version at build time; running from source falls back to package.json.
  if (typeof MODEL_FACTORY_VERSION === 'string') return MODEL_FACTORY_VERSION;
  return (require('../../package.json') as { version: string }).version;
}

function help(all: Command[]): string {
  const width = Math.max(...all.map((c) => c.name.length));
  const lines = all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: model-factory <command> [options]',
    '',
    'Experiment tracking, a model registry and drift checks, MLflow-compatible.',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `model-factory <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

/** Runs the CLI and returns the exit code; main() below is the only place that exits. */
export async function runCli(argv: string[], context: Omit<CommandContext, 'args'>) {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(help(commands));
    return ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    context.stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }

  const command = commands.find((c) => c.name === name);
  if (!command) {
    context.stderr.write(`model-factory: unknown command '${name}'; see 'model-factory --help'\n`);
    return ExitCode.usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    context.stdout.write(`${command.usage}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run({ ...context, args });
  } catch (error) {
    return reportError(error, context);
  }
}

function reportError(error: unknown, context: Omit<CommandContext, 'args'>): number {
  if (error instanceof UsageError) {
    context.stderr.write(`model-factory: ${error.message}\n`);
    return ExitCode.usage;
  }
  const known = error as { code?: unknown; message?: unknown };
  if (typeof known?.code === 'string' && typeof known.message === 'string') {
    // Store and input errors carry MLflow's codes and say what to do; no stack for those.
    context.stderr.write(`model-factory: ${known.message}\n`);
    return ExitCode.usage;
  }
  context.stderr.write(`model-factory: ${error instanceof Error ? error.stack : String(error)}\n`);
  return ExitCode.usage;
}

if (require.main === module) {
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
