export * from './report';
export * from './scan';
export * from './stages';
export * from './gate';
