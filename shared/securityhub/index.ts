export * from './asff';
export * from './findings';
export * from './target';
