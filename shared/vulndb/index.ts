export * from './advisory';
export * from './alas';
export * from './errors';
export * from './import';
export * from './local-store';
export * from './names';
export * from './store';
export * from './update';
