export * from './ecr-auth';
