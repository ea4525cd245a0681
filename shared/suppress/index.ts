export * from './apply';
export * from './errors';
export * from './ignore-file';
export * from './vex';
