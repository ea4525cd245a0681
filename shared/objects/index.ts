export * from './errors';
export * from './object-store';
