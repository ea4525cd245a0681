export * from './analyze-layer';
export * from './errors';
export * from './layer-report';
export * from './object-store';
