import path from 'node:path';
import { buildArgv } from './command';
import { parseMlproject } from './mlproject';
import type { Mlproject } from './types';

/**
 * What to run for a launch, decided before anything touches the store or a process: the argument
 * vector, its folder and the parameters the run records. It reads no files (the caller passes
 * their text), so the extension, tasks.json and the tests plan launches the same way.
 */

export type LaunchKind = 'train' | 'evaluate';

export interface LaunchPlan {
  kind: LaunchKind;
  /** argv[0] is the program; never joined into a shell string. */
  argv: string[];
  cwd: string;
  /** The absolute path of the MLproject or the script: the run's mlflow.source.name. */
  sourceName: string;
  /** The entry point's name, or the script's file name. */
  entryPoint: string;
  /** The values the run records as params: given ones and the defaults that filled the rest. */
  params: Record<string, string>;
  /** The MLproject's name, the experiment of last resort before 'Default'. */
  projectName?: string;
}

export interface MlprojectLaunch {
  kind: LaunchKind;
  python: string;
  mlprojectPath: string;
  mlprojectText: string;
  entryPoint: string;
  values: Record<string, string>;
}

export interface ScriptLaunch {
  kind: LaunchKind;
  python: string;
  scriptPath: string;
  values?: Record<string, string>;
  /**
   * The MLproject the script sits in (see nearestMlproject), when there is one: its name becomes
   * the run's experiment, as it does for the project's entry points.
   */
  mlprojectText?: string;
}

/** A launch that cannot start; the message says what to change. */
export class LaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LaunchError';
  }
}

/** Throws a {@link LaunchError} or a CommandError (from buildArgv) when the launch cannot start. */
export function planLaunch(input: MlprojectLaunch | ScriptLaunch): LaunchPlan {
  return 'scriptPath' in input ? planScript(input) : planEntryPoint(input);
}

function planScript(input: ScriptLaunch): LaunchPlan {
  const scriptPath = path.resolve(input.scriptPath);
  const values = input.values ?? {};
  const argv = [input.python, scriptPath];
  for (const [key, value] of Object.entries(values)) {
    if (key === '') throw new LaunchError('A parameter needs a name');
    argv.push(`--${key}`, value);
  }
  return {
    kind: input.kind,
    argv,
    cwd: path.dirname(scriptPath),
    sourceName: scriptPath,
    entryPoint: path.basename(scriptPath),
    params: { ...values },
    // Only the name is read: a mistake elsewhere in the MLproject is no reason to stop a script
    // that does not run through it.
    projectName:
      input.mlprojectText === undefined
        ? undefined
        : parseMlproject(input.mlprojectText).project?.name,
  };
}

function planEntryPoint(input: MlprojectLaunch): LaunchPlan {
  const sourceName = path.resolve(input.mlprojectPath);
  const projectDir = path.dirname(sourceName);
  const project = readProject(input.mlprojectText, sourceName);
  const entryPoint = project.entryPoints.find((entry) => entry.name === input.entryPoint);
  if (!entryPoint) {
    const known = project.entryPoints.map((entry) => `'${entry.name}'`).join(', ') || 'none';
    throw new LaunchError(
      `${sourceName} has no entry point '${input.entryPoint}' (it has ${known})`,
    );
  }

  const { argv } = buildArgv(entryPoint, input.values, { projectDir });
  const params: Record<string, string> = {};
  for (const param of entryPoint.parameters) {
    const given = Object.hasOwn(input.values, param.name);
    params[param.name] = given
      ? input.values[param.name]
      : (param.defaultText ?? String(param.default ?? ''));
  }
  return {
    kind: input.kind,
    argv: withInterpreter(argv, input.python),
    cwd: projectDir,
    sourceName,
    entryPoint: entryPoint.name,
    params: { ...params, ...input.values },
    projectName: project.name,
  };
}

/** Refuses a project with error diagnostics, naming the first few with their lines. */
function readProject(text: string, file: string): Mlproject {
  const { project, diagnostics } = parseMlproject(text);
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0 || !project) {
    const shown = errors
      .slice(0, 3)
      .map((error) => `line ${error.range.start.line + 1}: ${error.message}`);
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    const detail = shown.length > 0 ? `: ${shown.join('; ')}${more}` : '';
    throw new LaunchError(`${file} has errors to fix before it can run${detail}`);
  }
  return project;
}

/**
 * MLproject commands name `python` or `python3`, which on the user's PATH may not be the
 * environment they picked in VS Code; the chosen interpreter takes their place. Any other program
 * (bash, a venv's own python by path) runs as written.
 */
function withInterpreter(argv: string[], python: string): string[] {
  if (argv.length === 0 || !/^python(\d+(\.\d+)?)?(\.exe)?$/i.test(argv[0])) return argv;
  return [python, ...argv.slice(1)];
}

/** The command for the log and the terminal header only; it is never executed as text. */
export function displayCommand(argv: string[]): string {
  return argv
    .map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
