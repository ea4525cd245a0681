export * from './anchor';
export * from './canonical';
export * from './chain';
export * from './directory-anchor-store';
export * from './errors';
export * from './problems';
export * from './verify';
export * from './events';
