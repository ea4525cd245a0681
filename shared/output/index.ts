export * from './sarif';
export * from './table';
export * from './posture';
