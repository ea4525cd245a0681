export * from './errors';
export * from './signing-key';
