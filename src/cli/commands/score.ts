import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandContext } from '../command';
import { UsageError } from '../errors';
import { storeDir } from '../storeDir';
import { scoreFile } from '../../core/deploy';
import { labelOf, resolveReadOnly } from './serve-model';

const usage = `Usage: model-factory score MODEL_URI DATA --out FILE [--column NAME] [--store DIR]
                           [--python PATH]

Scores a CSV file (TSV by its .tsv name) with a model version and writes a copy of it to FILE
with the predictions in the column --column (prediction), replacing that column's values when
DATA has it. MODEL_URI is models:/name/version, models:/name@alias or runs:/run_id/path; the
model is loaded as serve-model loads it. Exits 2 with one line on stderr when the model cannot
be loaded or DATA lacks a column the model needs or holds a value it cannot use.`;

export const scoreCommand: Command = {
  name: 'score',
  summary: 'score a data file with a model version',
  usage,
  run: score,
};

async function score(context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args: context.args,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      column: { type: 'string', default: 'prediction' },
      store: { type: 'string' },
      python: { type: 'string' },
    },
  });
  if (positionals.length !== 2) throw new UsageError('score takes MODEL_URI and DATA; see --help');
  if (!values.out) throw new UsageError('score needs --out FILE, where the scored copy goes');
  if (values.column.trim() === '') throw new UsageError('--column needs a name');
  const data = path.resolve(context.cwd, positionals[1]);
  const model = await resolveReadOnly(storeDir(values.store, context.cwd), positionals[0]);

  const result = await scoreFile({
    modelPath: model.path,
    data,
    out: path.resolve(context.cwd, values.out),
    column: values.column,
    python: values.python,
    env: context.env,
  });
  context.stdout.write(
    `Scored ${result.rows} rows of ${positionals[1]} with ${labelOf(model)} (${result.loader}: ${result.model}); wrote ${values.out}, predictions in column ${result.column}\n`,
  );
  return 0;
}
