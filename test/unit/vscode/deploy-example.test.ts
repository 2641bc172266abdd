import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readTable } from '../../../src/core/data/read';
import {
  asRequest,
  exampleRequest,
  resultText,
  tableRequest,
} from '../../../src/vscode/deploy/example';
import { tempDir } from '../../helpers/tempStore';

function modelFolder(t: { after(fn: () => void): void }, files: Record<string, string>) {
  const work = tempDir('mf-example-');
  t.after(work.remove);
  const folder = path.join(work.dir, 'model');
  mkdirSync(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  return folder;
}

test("a DataFrame example in pandas' split orient becomes dataframe_split, without its index", () => {
  const example = {
    columns: ['x', 'color'],
    index: [0, 1],
    data: [
      [1, 'red'],
      [2, 'blue'],
    ],
  };

  assert.deepEqual(asRequest(example), {
    dataframe_split: {
      columns: ['x', 'color'],
      data: [
        [1, 'red'],
        [2, 'blue'],
      ],
    },
  });
});

test('records become dataframe_records, a request stays as it is, anything else goes as inputs', () => {
  assert.deepEqual(asRequest([{ x: 1 }, { x: 2 }]), { dataframe_records: [{ x: 1 }, { x: 2 }] });
  assert.deepEqual(asRequest({ inputs: [[1, 2]] }), { inputs: [[1, 2]] });
  assert.deepEqual(
    asRequest([
      [1, 2],
      [3, 4],
    ]),
    {
      inputs: [
        [1, 2],
        [3, 4],
      ],
    },
  );
  assert.deepEqual(asRequest({ prompt: 'hi' }), { inputs: { prompt: 'hi' } });
});

test('serving_input_example.json is sent as it is, before input_example.json', (t) => {
  const serving = JSON.stringify({ dataframe_records: [{ x: 9 }] });
  const folder = modelFolder(t, {
    'serving_input_example.json': serving,
    'input_example.json': JSON.stringify({ columns: ['x'], data: [[1]] }),
  });

  assert.deepEqual(exampleRequest(folder), { body: serving, source: 'serving_input_example.json' });
});

test("MLmodel's saved_input_example_info names the example file", (t) => {
  const folder = modelFolder(t, {
    MLmodel:
      'flavors: {}\nsaved_input_example_info:\n  artifact_path: example.json\n  type: dataframe\n',
    'example.json': JSON.stringify([{ x: 1 }]),
  });

  assert.deepEqual(exampleRequest(folder), {
    body: JSON.stringify({ dataframe_records: [{ x: 1 }] }),
    source: 'example.json',
  });
});

test('a model without an example has none, and a model file is looked beside', (t) => {
  const folder = modelFolder(t, { 'model.pkl': 'x', 'input_example.json': '[[1]]' });
  const bare = modelFolder(t, { 'model.json': '{}' });

  assert.equal(exampleRequest(bare), undefined);
  assert.equal(exampleRequest(path.join(folder, 'model.pkl'))?.source, 'input_example.json');
});

test('the first rows of a table go as dataframe_split, missing values as null', async (t) => {
  const work = tempDir('mf-example-');
  t.after(work.remove);
  const file = path.join(work.dir, 'rows.csv');
  writeFileSync(file, 'x,color,flag\n1.5,red,true\n,blue,false\n3,,true\n4,red,false\n');

  const request = tableRequest(await readTable(file), 3);

  assert.equal(request.source, 'rows 1-3 of rows.csv');
  assert.deepEqual(JSON.parse(request.body), {
    dataframe_split: {
      columns: ['x', 'color', 'flag'],
      data: [
        [1.5, 'red', true],
        [null, 'blue', false],
        [3, null, true],
      ],
    },
  });
});

test('the result shows the predictions, then each row with its prediction on one line', () => {
  const header = {
    model: 'models:/churn/1',
    url: 'http://127.0.0.1:1/invocations',
    input: 'x.csv',
  };
  const body = JSON.stringify({
    dataframe_split: {
      columns: ['x', 'c'],
      data: [
        [1, 'a'],
        [2, 'b'],
      ],
    },
  });

  const text = resultText(header, body, { predictions: [0, 1] });

  assert.deepEqual(JSON.parse(text), {
    ...header,
    predictions: [0, 1],
    rows: [
      { x: 1, c: 'a', prediction: 0 },
      { x: 2, c: 'b', prediction: 1 },
    ],
  });
  assert.match(text, /^    \{"x":1,"c":"a","prediction":0\},$/m);
});

test('an input that is not a table is shown as it was sent', () => {
  const header = { model: 'm', url: 'u', input: 'input_example.json' };
  const body = JSON.stringify({ inputs: [[1, 2]] });

  const text = resultText(header, body, { predictions: [[0.5]] });

  assert.deepEqual(JSON.parse(text), {
    ...header,
    predictions: [[0.5]],
    request: { inputs: [[1, 2]] },
  });
});
