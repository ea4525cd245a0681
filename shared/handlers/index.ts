export * from './anchor-binding';
export * from './bindings';
export * from './environment-variables';
export * from './environment';
