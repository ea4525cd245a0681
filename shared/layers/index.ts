export * from './compression';
export * from './errors';
export type { Delivery } from './file-body';
export * from './file-tree';
export * from './limits';
export * from './listing';
export * from './paths';
export * from './read-layers';
export * from './walk';
