/*
 * The AWS adapters, one folder per service, each with its own door: dynamodb/, ecr/, lambda/,
 * s3/, secrets-manager/, sfn/, sns/. This door holds what they share: the error they throw.
 */
export * from './errors';
