export * from './report';
export * from './scan';
