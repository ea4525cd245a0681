export * from './check';
export * from './context';
export * from './evaluate';
export * from './history';
export * from './rules';
