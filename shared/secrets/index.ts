export * from './allow';
export * from './analyzer';
export * from './assemble';
export * from './rule';
export * from './rules';
export * from './scanner';
export * from './sensitive-files';
