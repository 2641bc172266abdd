import type { Range } from '../../../src/core/projects/types';

/** The example MLproject of MLflow's documentation (reference/mlflow.md, section 1.5). */
export const REFERENCE_MLPROJECT = `name: My ML Project
python_env: python_env.yaml          # or conda_env: conda.yaml, or docker_env: {image:, volumes:[], environment:[[K,V], "PASSTHRU"]}
entry_points:
  main:
    parameters:
      data_file: path                  # shorthand "name: type" → default None (required)
      regularization: {type: float, default: 0.1}
      max_epochs: {type: int, default: 100}
    command: "python train.py --reg {regularization} --epochs {max_epochs} {data_file}"
  validate:
    parameters: {model_path: path, test_data: path}
    command: "python validate.py {model_path} {test_data}"
`;

/** The range of the `occurrence`-th `needle` in `text`, computed independently of the parser. */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`'${needle}' occurs fewer than ${occurrence + 1} times`);
  }
  const start = position(text, offset);
  const end = position(text, offset + needle.length);
  return { start, end };
}

function position(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Splits `text` at its `<|>` marker into the text without it and the marker's position. */
export function cursor(marked: string) {
  const offset = marked.indexOf('<|>');
  const text = marked.slice(0, offset) + marked.slice(offset + 3);
  return { text, position: position(text, offset) };
}
