import type { RegistryCheck } from '../check';
import { fieldOf } from '../paths';
import type { RepositorySubject } from '../subjects';

/** An alias of a key AWS manages for a service (`alias/aws/ecr`), as a name or in an ARN. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/**
 * KMS or KMS_DSSE with a customer managed key passes. AES256 (or the field absent: AES256 is
 * the default) fails, and so does KMS with no `kmsKey` or an `alias/aws/…` one: the AWS
 * managed key, whose policy the account cannot restrict. A key given by key id or key ARN
 * passes: telling the AWS managed key's own ARN from a customer managed one needs
 * `kms:DescribeKey` (its `KeyManager`), which these outputs do not carry.
 */
export const kmsEncryption: RegistryCheck<RepositorySubject> = {
  id: 'ecr-kms-encryption',
  version: 1,
  title: 'Repository not encrypted with a customer managed KMS key',
  severity: 'MEDIUM',
  cis: null,
  rationale:
    'A customer managed key puts reading the images behind a key policy the account controls and audits (CloudTrail logs each use), and lets the key be disabled; AES256 and the AWS managed key give no such control.',
  remediation:
    'Create the repository with `encryptionConfiguration` `{"encryptionType": "KMS", "kmsKey": "<customer managed key ARN>"}` (`aws ecr create-repository --encryption-configuration`); encryption cannot be changed on an existing repository, so images are copied into a new one.',
  evaluate({ repository: { value, path } }) {
    const configuration = value.encryptionConfiguration;
    const at = fieldOf(path, 'encryptionConfiguration');
    if (configuration === undefined) {
      const evidence = [{ path: at, value: null }];
      return { status: 'fail', evidence, reason: 'not set: AES256, the default, applies' };
    }
    const { encryptionType, kmsKey } = configuration;
    const evidence = [
      { path: fieldOf(at, 'encryptionType'), value: encryptionType },
      { path: fieldOf(at, 'kmsKey'), value: kmsKey ?? null },
    ];
    if (encryptionType === 'AES256') {
      return { status: 'fail', evidence, reason: 'AES256: keys owned by ECR, not by the account' };
    }
    if (kmsKey === undefined || AWS_MANAGED_ALIAS.test(kmsKey)) {
      const reason = `${encryptionType} with the AWS managed key (alias/aws/ecr), not a customer managed one`;
      return { status: 'fail', evidence, reason };
    }
    return { status: 'pass', evidence };
  },
};
