export * from './collect';
export * from './task-stopper';
