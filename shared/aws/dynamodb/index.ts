export * from './audit-log';
export * from './claims';
export * from './pipeline-tables';
export * from './table';
export * from './verdict-items';
export * from './verdict-store';
export * from './vulnerability-store';
