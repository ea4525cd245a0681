export * from './affected';
export * from './ecosystem';
export * from './record';
export * from './severity';
