import type { Parameter, ParameterType } from './types';

/**
 * Which text each parameter type accepts. The same check serves the quick input, the defaults in
 * an MLproject and the launch, so what is accepted while typing is what is passed to the script.
 */

const INT = /^[-+]?\d+$/;
// What Python's float() reads, without the underscores and surrounding spaces it also allows.
const FLOAT = /^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf|infinity|nan)$/i;

const EXPECTED: Record<ParameterType, { noun: string; example: string }> = {
  string: { noun: 'text', example: 'adam' },
  float: { noun: 'a number', example: '0.01' },
  int: { noun: 'a whole number', example: '100' },
  path: { noun: 'a path', example: 'data/train.csv' },
  uri: { noun: 'a URI or path', example: 's3://bucket/train.csv' },
};

/** Whether `text` fits the type: a message for the quick input when it does not. */
export function checkParameterValue(
  param: Pick<Parameter, 'type'>,
  text: string,
): string | undefined {
  if (fitsType(param.type, text)) return undefined;
  const { noun, example } = EXPECTED[param.type];
  return `Enter ${noun}, like ${example}`;
}

export function fitsType(type: ParameterType, text: string): boolean {
  switch (type) {
    case 'int':
      return INT.test(text);
    case 'float':
      return FLOAT.test(text);
    case 'path':
    case 'uri':
      return text.trim() !== '';
    case 'string':
      return true;
  }
}

/** How a type's values are described in messages: "a whole number". */
export function typeNoun(type: ParameterType): string {
  return EXPECTED[type].noun;
}
