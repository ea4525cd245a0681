export * from './dynamodb-table';
export * from './dynamodb-vulnerability-store';
export * from './ecr-auth';
