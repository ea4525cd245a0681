export * from './messages';
export * from './notifier';
export * from './notification-document';
export * from './notify';
export * from './events';
