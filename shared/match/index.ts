export * from './finding';
export * from './go-applicability';
export * from './match';
export * from './targets';
