import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeployError, scoreFile } from '../../../src/core/deploy';
import { tempDir } from '../../helpers/tempStore';
import {
  LINEAR_MODEL,
  linearScore,
  logisticClass,
  writeJsonModel,
  writePickleModel,
} from './helpers';

/** Batch scoring: a data file in, a copy with the predictions out, through real python3. */
describe('scoring a data file', () => {
  let work: ReturnType<typeof tempDir>;
  let model: string;
  const file = (name: string, text: string) => {
    writeFileSync(path.join(work.dir, name), text);
    return path.join(work.dir, name);
  };
  const lines = (name: string) =>
    readFileSync(path.join(work.dir, name), 'utf8').trim().split(/\r?\n/);

  before(() => {
    work = tempDir('mf-score-');
    model = writeJsonModel(path.join(work.dir, 'model'));
  });
  after(() => work.remove());

  test('writes a copy with a prediction column and reports the rows and the loader', async () => {
    const data = file('data.csv', 'id,x,color\na,3,blue\nb,-1,red\nc,0,blue\n');
    const out = path.join(work.dir, 'scored.csv');

    const result = await scoreFile({ modelPath: model, data, out });

    assert.deepEqual(result, {
      rows: 3,
      loader: 'json',
      model: 'logistic-regression from model.json',
      out,
      column: 'prediction',
    });
    assert.deepEqual(lines('scored.csv'), [
      'id,x,color,prediction',
      `a,3,blue,${logisticClass(3, 'blue')}`,
      `b,-1,red,${logisticClass(-1, 'red')}`,
      `c,0,blue,${logisticClass(0, 'blue')}`,
    ]);
  });

  test('replaces the values of a prediction column the data already has, in place', async () => {
    const data = file('with-prediction.csv', 'x,prediction,color\n3,,blue\n-1,7,red\n');

    await scoreFile({ modelPath: model, data, out: path.join(work.dir, 'replaced.csv') });

    assert.deepEqual(lines('replaced.csv'), [
      'x,prediction,color',
      `3,${logisticClass(3, 'blue')},blue`,
      `-1,${logisticClass(-1, 'red')},red`,
    ]);
  });

  test('names the column as asked and reads TSV files by tab', async () => {
    const data = file('data.tsv', 'x\tcolor\n2\tred\n');
    const linear = writeJsonModel(path.join(work.dir, 'linear'), LINEAR_MODEL);

    await scoreFile({
      modelPath: linear,
      data,
      out: path.join(work.dir, 'scored.tsv'),
      column: 'score',
    });

    assert.deepEqual(lines('scored.tsv'), ['x\tcolor\tscore', `2\tred\t${linearScore(2, 'red')}`]);
  });

  test('scores with a pickled model too', async () => {
    const pickle = writePickleModel(path.join(work.dir, 'pickle'));
    const data = file('ab.csv', 'a,b\n1,2\n3,4\n');

    const result = await scoreFile({
      modelPath: pickle,
      data,
      out: path.join(work.dir, 'ab-out.csv'),
    });

    assert.equal(result.loader, 'pickle');
    assert.deepEqual(lines('ab-out.csv'), ['a,b,prediction', '1,2,4', '3,4,10']);
  });

  test('refuses data that lacks a column the model needs, naming it, and writes nothing', async () => {
    const data = file('no-color.csv', 'x\n1\n');
    const out = path.join(work.dir, 'never.csv');

    await assert.rejects(
      scoreFile({ modelPath: model, data, out }),
      (error: Error) =>
        error instanceof DeployError &&
        /cannot score .*no-color\.csv: the model needs column 'color', which the input lacks \(it has x\)/.test(
          error.message,
        ),
    );
    assert.equal(existsSync(out), false);
    assert.equal(existsSync(`${out}.partial`), false);
  });

  test('refuses a value that is not a number, naming the column and the row', async () => {
    const data = file('bad-number.csv', 'x,color\n1,red\nlots,blue\n');

    await assert.rejects(
      scoreFile({ modelPath: model, data, out: path.join(work.dir, 'bad.csv') }),
      /column 'x' needs a number, but row 1 has 'lots'/,
    );
  });

  test('says why a model cannot be loaded', async () => {
    const data = file('any.csv', 'x,color\n1,red\n');

    await assert.rejects(
      scoreFile({
        modelPath: path.join(work.dir, 'nowhere'),
        data,
        out: path.join(work.dir, 'x.csv'),
      }),
      /there is no model at .*nowhere: no such file or folder/,
    );
  });

  test('says when the data file does not exist', async () => {
    await assert.rejects(
      scoreFile({
        modelPath: model,
        data: path.join(work.dir, 'missing.csv'),
        out: path.join(work.dir, 'y.csv'),
      }),
      /No such file or directory: .*missing\.csv/,
    );
  });
});
