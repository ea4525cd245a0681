export * from './errors';
export * from './json-depth';
export * from './yaml';
