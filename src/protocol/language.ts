/**
 * The one request of our own between the language client and server, beyond LSP: which MLproject
 * parameter sits at a position. The hover's values from past runs come from the store, which
 * only the client has, so the client asks the server (which has the parsed document) what the
 * cursor is on, instead of parsing YAML a second time in the extension host.
 */
export const PARAMETER_AT_METHOD = 'modelFactory/parameterAt';

export interface ParameterAtParams {
  uri: string;
  position: { line: number; character: number };
}

/** The entry point and parameter under the position, or null on anything else. */
export type ParameterAtResult = { entryPoint: string; parameter: string } | null;
