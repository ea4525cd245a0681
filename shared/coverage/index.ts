export * from './accept';
export * from './errors';
export * from './gap';
export * from './identity-gaps';
export * from './image-gaps';
export * from './report-gaps';
