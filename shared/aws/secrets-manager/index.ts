export * from './secret-store';
export * from './signing-key';
