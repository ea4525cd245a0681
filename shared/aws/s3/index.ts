export * from './anchor-store';
export * from './object-store';
