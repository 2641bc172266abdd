/**
 * The model of an MLproject file and the diagnostics found in it. Positions follow the Language
 * Server Protocol (0-based lines, UTF-16 columns), so the language server passes them on as they
 * are and nothing here needs `vscode`.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information';

export interface Diagnostic {
  range: Range;
  severity: Severity;
  message: string;
  /** One of {@link DiagnosticCode}, so clients can offer fixes per kind of problem. */
  code: string;
}

export const DiagnosticCode = {
  yamlSyntax: 'yaml-syntax',
  yamlWarning: 'yaml-warning',
  notAMapping: 'not-a-mapping',
  unknownKey: 'unknown-key',
  invalidValue: 'invalid-value',
  conflictingEnvironments: 'conflicting-environments',
  missingCommand: 'missing-command',
  unknownType: 'unknown-type',
  defaultTypeMismatch: 'default-type-mismatch',
  unknownPlaceholder: 'unknown-placeholder',
  malformedPlaceholder: 'malformed-placeholder',
  unusedParameter: 'unused-parameter',
  commandSyntax: 'command-syntax',
  shellOperator: 'shell-operator',
} as const;

export const PARAMETER_TYPES = ['string', 'float', 'int', 'path', 'uri'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export interface Parameter {
  name: string;
  /** Unknown types are reported and read as `string`, which is how MLflow passes them on. */
  type: ParameterType;
  default?: string | number;
  /** The default as written in the file (`1.0` stays `1.0`), which is what MLflow formats. */
  defaultText?: string;
  /** False when the default is absent or null: MLflow then requires a value. */
  hasDefault: boolean;
  /** The parameter's name in the file. */
  range: Range;
}

/** A `{name}` field of a command; `range` is absent when it cannot be pinned inside the scalar. */
export interface Placeholder {
  name: string;
  range?: Range;
}

export interface EntryPoint {
  name: string;
  nameRange: Range;
  command?: string;
  commandRange?: Range;
  parameters: Parameter[];
  placeholders: Placeholder[];
}

export interface Mlproject {
  name?: string;
  entryPoints: EntryPoint[];
}
