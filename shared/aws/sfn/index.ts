export * from './execution-starter';
