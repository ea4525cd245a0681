export * from './dynamodb';
export * from './failure';
export * from './posture';
export * from './registry-writer';
export * from './run';
export * from './scan';
export * from './securityhub';
export * from './session';
