export * from './asff';
export * from './findings';
export * from './target';
export * from './hub';
