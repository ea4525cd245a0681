import { readFile } from 'node:fs/promises';
import { keyFromKms, keyFromPem, type VerificationKey } from '../../signatures';

const KMS_PREFIX = 'awskms://';

/** `--key` values: PEM public key files, or `awskms://ARN` (cosign's form, `awskms:///ARN` too). */
export async function loadKeys(specs: readonly string[]): Promise<VerificationKey[]> {
  const keys: VerificationKey[] = [];
  for (const spec of specs) {
    if (spec.startsWith(KMS_PREFIX)) {
      const id = spec.slice(KMS_PREFIX.length).replace(/^\/+/, '');
      const region = /^arn:aws[\w-]*:kms:([^:]+):/.exec(id)?.[1];
      // The AWS SDK is loaded only for a KMS key.
      const { KMSClient } = await import('@aws-sdk/client-kms');
      const client = new KMSClient(region === undefined ? {} : { region });
      try {
        keys.push(await keyFromKms(client, id));
      } finally {
        client.destroy();
      }
    } else {
      keys.push(keyFromPem(await readFile(spec, 'utf8'), spec));
    }
  }
  return keys;
}
