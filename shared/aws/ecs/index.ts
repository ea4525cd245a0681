export * from './task-stopper';
