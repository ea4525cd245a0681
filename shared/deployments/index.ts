export * from './alert';
export * from './audit-events';
export * from './decide';
export * from './errors';
export * from './ports';
export * from './settings';
export * from './task-event';
export * from './watch';
