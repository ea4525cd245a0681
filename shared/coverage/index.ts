export * from './accept';
export * from './errors';
export * from './gap';
export * from './image-gaps';
export * from './report-gaps';
