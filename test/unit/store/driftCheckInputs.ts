import type { SaveDriftCheck } from '../../../src/core/store/driftChecks';
import type { RunStore } from '../../../src/core/store/store';
import { openTempStore } from '../../helpers/tempStore';

/** Inputs and stores shared by the drift check tests. */
export const REFERENCE_DIGEST = 'a'.repeat(64);
export const CURRENT_DIGEST = '0123456789abcdef'.repeat(4);

/** A check as the CLI's --json would report it: three columns, one of them untested text. */
export function checkInput(overrides: Partial<SaveDriftCheck> = {}): SaveDriftCheck {
  const columns: SaveDriftCheck['columns'] = [
    {
      column: 'price',
      kind: 'numerical',
      test: 'ks',
      statistic: 0.31,
      pValue: 0.0004,
      threshold: 0.05,
      drift: true,
    },
    {
      column: 'city',
      kind: 'categorical',
      test: 'jensenshannon',
      statistic: 0.02,
      pValue: null,
      threshold: 0.1,
      drift: false,
    },
    {
      column: 'comment',
      kind: 'text',
      test: null,
      statistic: null,
      pValue: null,
      threshold: null,
      drift: false,
    },
  ];
  const report = {
    reference: { path: '/data/train.csv', rows: 1000 },
    current: { path: '/data/new.csv', rows: 800 },
    columns: columns.map((c) => ({
      ...c,
      p_value: c.pValue,
      histogram: { reference: [1, 2], current: [2, 1] },
    })),
    dataset: { drift: false, drifted: 1, total: 2, share: 0.5, correction: { method: 'none' } },
    notes: ['comment is text and was not tested'],
  };
  return {
    reference: { path: '/data/train.csv', digest: REFERENCE_DIGEST, kind: 'file' },
    current: { path: '/data/new.csv', digest: CURRENT_DIGEST },
    options: { driftShare: 0.5, seed: 7 },
    report,
    summary: { drift: false, drifted: 1, total: 2, share: 0.5 },
    columns,
    ...overrides,
  };
}

/** A store with a model whose version 1 exists and version 2 was deleted. */
export async function storeWithModel() {
  const temp = await openTempStore();
  const { runId } = temp.store.createRun({ experimentId: '0' }).info;
  temp.store.createRegisteredModel('houses');
  temp.store.createModelVersion({ name: 'houses', source: `runs:/${runId}/model`, runId });
  temp.store.createModelVersion({ name: 'houses', source: `runs:/${runId}/model`, runId });
  temp.store.deleteModelVersion('houses', '2');
  return { ...temp, runId };
}

export function againstVersion(version: string | number, createdTime?: number): SaveDriftCheck {
  return checkInput({
    reference: {
      path: '/data/train.csv',
      digest: REFERENCE_DIGEST,
      kind: 'model_version',
      modelName: 'houses',
      modelVersion: version,
    },
    createdTime,
  });
}

export function columnRows(store: RunStore, checkId: string) {
  return store.db.all('SELECT column_name FROM mf_drift_columns WHERE check_id = ?', [checkId]);
}
