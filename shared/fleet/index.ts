export * from './digest-posture';
export * from './enumerate';
export * from './repositories';
export * from './scan-item';
export * from './summarize';
