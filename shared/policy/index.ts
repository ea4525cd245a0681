export * from './default-policy';
export * from './document';
export * from './errors';
export * from './evaluate';
export * from './policy';
