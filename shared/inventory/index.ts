export * from './assemble';
export * from './package';
export * from './purl';
