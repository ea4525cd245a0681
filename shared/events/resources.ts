/** `<account>.dkr.ecr.<region>.amazonaws.com` (and `.com.cn` in China). */
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/** An image as an event's `resources` name it. */
export interface ResourceImage {
  readonly registry: string;
  readonly repository: string;
  readonly digest: string;
}

/**
 * An event's `resources`: the repository's ARN when the image is in ECR
 * (`arn:aws:ecr:eu-west-1:123456789012:repository/payments/api`), then the image by digest
 * (`<registry>/<repository>@sha256:…`), so a rule can match either with a prefix.
 */
export function imageResources(image: ResourceImage): string[] {
  const ecr = ECR_HOST.exec(image.registry);
  const byDigest = `${image.registry}/${image.repository}@${image.digest}`;
  if (ecr === null) return [byDigest];
  const partition = ecr[3] === undefined ? 'aws' : 'aws-cn';
  return [`arn:${partition}:ecr:${ecr[2]}:${ecr[1]}:repository/${image.repository}`, byDigest];
}
