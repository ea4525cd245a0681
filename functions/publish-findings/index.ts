import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { lambdaEnvironment, lambdaHandler, lambdaRuntime } from '../../shared/aws/lambda';
import { S3ObjectStore } from '../../shared/aws/s3';
import { SecurityHubFindings } from '../../shared/aws/securityhub';
import { PUBLISH_FINDINGS_STEP } from '../../shared/pipeline';
import { bindStep } from '../../shared/pipeline';

const runtime = lambdaRuntime();
const env = lambdaEnvironment('publish-findings');
const s3 = runtime.tracer.captureAWSv3Client(new S3Client({}));
const securityHub = runtime.tracer.captureAWSv3Client(new SecurityHubClient({}));
const publish = bindStep(PUBLISH_FINDINGS_STEP, {
  objects: new S3ObjectStore({ client: s3, bucket: env.bucket }),
  hub: new SecurityHubFindings({ client: securityHub }),
  productArn: env.securityHubProductArn,
  clock: () => new Date(),
});

/**
 * PublishFindings: the recorded scan's findings into Security Hub, what is gone archived. What
 * did not go is logged as a warning and counted (`SecurityHubFindingsFailed`), never thrown.
 */
export const handler = lambdaHandler(runtime, async (event) => {
  const result = await publish(event);
  runtime.metrics.addMetric('SecurityHubFindingsFailed', MetricUnit.Count, result.failed);
  if (result.status !== 'published')
    runtime.logger.warn('Security Hub did not take every finding', { securityHub: result });
  return result;
});
