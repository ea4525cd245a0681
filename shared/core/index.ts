export * from './errors';
export * from './yaml';
