export * from './models';
export * from './versions';
export { DELETED_STAGE } from './shared';
