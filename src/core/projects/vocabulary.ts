import { z } from 'zod';
import { PARAMETER_TYPES, type ParameterType } from './types';

/**
 * What an MLproject may say, with the short documentation that completion shows. The zod schemas
 * check the values whose shape is simple enough to state once; entry points are walked node by
 * node instead, because their diagnostics need the position of each part.
 */

export const topLevelKeySchema = z.enum([
  'name',
  'python_env',
  'conda_env',
  'docker_env',
  'entry_points',
]);
export const entryPointKeySchema = z.enum(['command', 'parameters']);
export const parameterKeySchema = z.enum(['type', 'default']);
export const parameterTypeSchema = z.enum(PARAMETER_TYPES);

export type TopLevelKey = z.infer<typeof topLevelKeySchema>;
type EntryPointKey = z.infer<typeof entryPointKeySchema>;
type ParameterKey = z.infer<typeof parameterKeySchema>;

export interface KeyInfo {
  key: string;
  documentation: string;
  /** Whether the value is a nested mapping, so completion inserts a line break, not a space. */
  nested: boolean;
}

const TOP_LEVEL_DOCS: Record<TopLevelKey, string> = {
  name: 'The project name, shown by MLflow.',
  python_env: 'A python_env.yaml file with the Python version and pip requirements.',
  conda_env: 'A conda environment file, like conda.yaml.',
  docker_env: 'A Docker image to run in: `image`, and optionally `volumes` and `environment`.',
  entry_points: 'The commands this project runs, each with its parameters.',
};

const ENTRY_POINT_DOCS: Record<EntryPointKey, string> = {
  command: 'The command to run; `{name}` placeholders are filled with parameter values.',
  parameters: 'Parameters as `name: type` or `name: {type: float, default: 0.1}`.',
};

const PARAMETER_DOCS: Record<ParameterKey, string> = {
  type: 'One of string, float, int, path, uri; string when omitted.',
  default: 'The value used when none is given; without one the parameter is required.',
};

const NESTED_KEYS = new Set(['docker_env', 'entry_points', 'parameters']);

function keyInfos(docs: Record<string, string>): KeyInfo[] {
  return Object.entries(docs).map(([key, documentation]) => ({
    key,
    documentation,
    nested: NESTED_KEYS.has(key),
  }));
}

export const TOP_LEVEL_KEYS: readonly KeyInfo[] = keyInfos(TOP_LEVEL_DOCS);
export const ENTRY_POINT_KEYS: readonly KeyInfo[] = keyInfos(ENTRY_POINT_DOCS);
export const PARAMETER_KEYS: readonly KeyInfo[] = keyInfos(PARAMETER_DOCS);

export const TYPE_DOCUMENTATION: Record<ParameterType, string> = {
  string: 'Any text. The type used when none is given.',
  float: 'A number, like 0.01.',
  int: 'A whole number, like 100.',
  path: 'A local file or folder; a relative path is resolved against the project folder.',
  uri: 'A URI or path, passed on as it is.',
};

/** Each top-level value's shape and, for the diagnostic, what it should look like. */
export const TOP_LEVEL_VALUES: Record<TopLevelKey, { schema: z.ZodType; expected: string }> = {
  name: { schema: z.union([z.string(), z.number()]), expected: 'a name, like My Project' },
  python_env: { schema: z.string(), expected: 'the path of a file, like python_env.yaml' },
  conda_env: { schema: z.string(), expected: 'the path of a file, like conda.yaml' },
  docker_env: {
    schema: z.looseObject({ image: z.string() }),
    expected: 'a mapping with an image, like {image: python:3.12}',
  },
  entry_points: {
    schema: z.record(z.string(), z.unknown()),
    expected: 'a mapping from entry point names to their command and parameters',
  },
};
