export * from './cosign';
export * from './discover';
export * from './errors';
export * from './keys';
