import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { KMSClient } from '@aws-sdk/client-kms';
import { ENVIRONMENT_VARIABLES } from '../../handlers';
import { PipelineError } from '../../pipeline';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../../policy';
import { keyFromKms, type VerificationKey } from '../../signatures';
import { awsRequestError } from '..';

/*
 * What judging an image needs, as the Evaluate and fleet functions read it at cold start:
 * `CLEARANCE_POLICY` (`default`, or `s3://bucket/key`) and `CLEARANCE_SIGNATURE_KEYS`
 * (comma-separated `awskms://ARN`, cosign's form).
 */

const S3_POLICY = /^s3:\/\/([^/]+)\/(.+)$/;
const KMS_PREFIX = 'awskms://';
const KMS_REGION = /^arn:aws[\w-]*:kms:([^:]+):/;
const POLICY = ENVIRONMENT_VARIABLES.policy.name;
const SIGNATURE_KEYS = ENVIRONMENT_VARIABLES.signatureKeys.name;

/** The policy `CLEARANCE_POLICY` names: the bundled default, or a policy file in S3. */
export async function policyFromSource(source: string, s3: S3Client): Promise<Policy> {
  if (source === 'default') return parsePolicy(DEFAULT_POLICY, 'default');
  const location = S3_POLICY.exec(source);
  if (location === null)
    throw new PipelineError(
      'MISCONFIGURED',
      `${POLICY} is ${JSON.stringify(source)}; expected default or s3://bucket/key`,
    );
  const [, bucket, key] = location;
  let text: string;
  try {
    const output = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await output.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    throw awsRequestError('S3 GetObject', source, error);
  }
  return parsePolicy(text, source);
}

/**
 * The keys of `CLEARANCE_SIGNATURE_KEYS`, their public halves from KMS (`GetPublicKey`); none
 * when it is unset. `kmsFor` gives the client of the key's region.
 */
export async function signatureKeysFrom(
  list: string | undefined,
  kmsFor: (region: string | undefined) => KMSClient,
): Promise<VerificationKey[]> {
  const specs = (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const keys: VerificationKey[] = [];
  for (const spec of specs) {
    if (!spec.startsWith(KMS_PREFIX))
      throw new PipelineError(
        'MISCONFIGURED',
        `${SIGNATURE_KEYS} holds ${JSON.stringify(spec)}; expected awskms://<key ARN>`,
      );
    const id = spec.slice(KMS_PREFIX.length).replace(/^\/+/, '');
    keys.push(await keyFromKms(kmsFor(KMS_REGION.exec(id)?.[1]), id));
  }
  return keys;
}

/**
 * `load` run once, on the first call (the first invocation of a cold function: CommonJS has no
 * top-level await); a failure is not kept, so the next invocation tries again.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
