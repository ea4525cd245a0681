export * from './image-report';
