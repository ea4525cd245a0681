export * from './sarif';
export * from './table';
export * from './html';
export * from './html-report';
export { HTML_MAX_FINDINGS } from './html-sections';
export * from './asff';
