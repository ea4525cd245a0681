export * from './artifact-pusher';
export * from './auth';
export * from './fleet-lister';
export * from './image-opener';
export * from './registry-posture';
export * from './registry-writer';
export * from './image-exists';
