export * from './evaluation-settings';
export * from './runtime';
