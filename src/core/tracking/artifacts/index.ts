/**
 * The proxied artifact store: MLflow's `mlflow-artifacts` endpoints and run artifact listings,
 * served from the store's artifacts folder and never from anywhere outside it.
 */
export { handleArtifactRequest } from './http';
export { listRunArtifacts, runArtifactLocation, type ArtifactFile } from './listing';
export { resolveInside } from './paths';
export { contentTypeFor } from './contentType';
