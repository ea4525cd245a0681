export * from './coverage';
export * from './default-policy';
export * from './document';
export * from './errors';
export * from './evaluate';
export * from './identity';
export * from './policy';
