export * from './publisher';
export * from './resources';
