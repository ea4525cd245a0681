export * from './cosign';
export * from './errors';
export * from './keys';
