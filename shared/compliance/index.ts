export * from './frameworks';
export * from './mapping';
export * from './report';
