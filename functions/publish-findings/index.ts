import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECRClient } from '@aws-sdk/client-ecr';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { DynamoDbVerdictStore } from '../../shared/aws/dynamodb';
import { ecrImageExists } from '../../shared/aws/ecr';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { SecurityHubFindings } from '../../shared/aws/securityhub';
import { PUBLISH_FINDINGS_STEP } from '../../shared/pipeline';
import { archiveDeletedImage, bindStep, isEcrImageDeleted } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('publish-findings');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const dynamodb = runtime.tracer.captureAWSv3Client(new DynamoDBClient({}));
const securityHub = runtime.tracer.captureAWSv3Client(new SecurityHubClient({}));
const ecr = runtime.tracer.captureAWSv3Client(new ECRClient({}));
const hub = new SecurityHubFindings({ client: securityHub });
const publish = bindStep(PUBLISH_FINDINGS_STEP, {
  objects: new S3ObjectStore({ client: s3, bucket: env.bucket }),
  hub,
  productArn: env.securityHubProductArn,
  clock: () => new Date(),
});
// The images table is read only: a deleted digest's verdict names its platforms' manifests.
const verdicts = new DynamoDbVerdictStore({ client: dynamodb, tableName: env.imagesTable });

/**
 * PublishFindings: the recorded scan's findings into Security Hub, what is gone archived. What
 * did not go is logged as a warning and counted (`SecurityHubFindingsFailed`), never thrown.
 * Also the target of the `ECR Image Action` DELETE rule: a deleted image's findings archived
 * (what Security Hub could not be asked throws, for EventBridge's retries and dead-letter queue).
 */
export const handler = lambdaHandler(runtime, async (event) => {
  if (isEcrImageDeleted(event)) {
    const result = await archiveDeletedImage(event, {
      hub,
      productArn: env.securityHubProductArn,
      verdicts,
      stillStored: (repository, digest) => ecrImageExists(ecr, repository, digest),
    });
    runtime.metrics.addMetric('SecurityHubFindingsFailed', MetricUnit.Count, result.failed);
    if (result.status === 'partial')
      runtime.logger.warn('Security Hub did not archive every finding of a deleted image', {
        securityHub: result,
      });
    return result;
  }
  const result = await publish(event);
  runtime.metrics.addMetric('SecurityHubFindingsFailed', MetricUnit.Count, result.failed);
  if (result.status !== 'published')
    runtime.logger.warn('Security Hub did not take every finding', { securityHub: result });
  return result;
});
