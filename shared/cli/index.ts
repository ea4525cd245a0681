export * from './io';
export * from './main';
