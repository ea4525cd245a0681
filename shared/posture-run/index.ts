export * from './errors';
export * from './judge';
export * from './recordings';
export * from './run';
export * from './summary';
