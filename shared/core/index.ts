export * from './clock';
export * from './errors';
export * from './json';
export * from './json-depth';
export * from './yaml';
export * from './sqlite';
export * from './zod-issues';
export * from './version';
