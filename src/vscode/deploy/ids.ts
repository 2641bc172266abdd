/** The deploy feature's command ids, settings and tags; package.json declares each. */
export const DeployCommand = {
  serve: 'modelFactory.models.serve',
  tryServed: 'modelFactory.models.tryServed',
  servedActions: 'modelFactory.models.servedActions',
  stopServing: 'modelFactory.models.stopServing',
  scoreFile: 'modelFactory.models.scoreFile',
  createCiWorkflow: 'modelFactory.createCiWorkflow',
} as const;

export type DeployCommandId = (typeof DeployCommand)[keyof typeof DeployCommand];

export const DeploySetting = {
  predictionColumn: 'modelFactory.score.predictionColumn',
} as const;

/** The task type of "Serve Locally", declared in package.json's taskDefinitions. */
export const SERVE_TASK_TYPE = 'modelFactoryServe';

/** The context key that is true while at least one model version is being served. */
export const SERVING_CONTEXT = 'modelFactory.serving';
