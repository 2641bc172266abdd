/**
 * A deploy step that cannot go ahead: a model URI that names nothing, artifacts that cannot be
 * loaded, data the model cannot score, a metric one side lacks. The message says what is wrong
 * and what to do; `code` makes the CLI print it as one line and exit 2, as it does store errors.
 */
export class DeployError extends Error {
  override readonly name = 'DeployError';
  readonly code = 'DEPLOY_ERROR';
}
