export * from './analyze-layer';
export * from './errors';
export * from './layer-report';
export * from './object-store';
export * from './ports';
export * from './step';
export * from './steps';
