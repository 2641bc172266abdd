/** The models view's command ids; package.json declares each (test/unit/manifest.test.ts). */
export const ModelCommand = {
  registerModel: 'modelFactory.registerModel',
  setAlias: 'modelFactory.models.setAlias',
  moveAlias: 'modelFactory.models.moveAlias',
  removeAlias: 'modelFactory.models.removeAlias',
  setTag: 'modelFactory.models.setTag',
  deleteTag: 'modelFactory.models.deleteTag',
  editDescription: 'modelFactory.models.editDescription',
  rename: 'modelFactory.models.rename',
  deleteVersion: 'modelFactory.models.deleteVersion',
  deleteModel: 'modelFactory.models.deleteModel',
  copyUri: 'modelFactory.models.copyUri',
  refreshModels: 'modelFactory.models.refresh',
} as const;

export type ModelCommandId = (typeof ModelCommand)[keyof typeof ModelCommand];
