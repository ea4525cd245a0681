import type { RegistryCheck } from '../check';
import { unreadable } from '../check';
import type { RepositorySubject } from '../subjects';

export const lifecyclePolicy: RegistryCheck<RepositorySubject> = {
  id: 'ecr-lifecycle-policy',
  version: 1,
  title: 'Repository has no lifecycle policy',
  severity: 'LOW',
  cis: null,
  rationale:
    'Without a lifecycle policy, old and untagged images stay pullable forever, with the vulnerabilities found in them since, and the storage bill grows.',
  remediation:
    'Set a lifecycle policy with at least one rule, e.g. expiring untagged images after 14 days (`aws ecr put-lifecycle-policy --lifecycle-policy-text file://policy.json`).',
  evaluate({ name, lifecyclePolicy: part }) {
    if (part.state === 'unreadable') return unreadable(part.reason);
    if (part.state === 'none') {
      const reason = `${name} has no lifecycle policy (LifecyclePolicyNotFoundException)`;
      return { status: 'fail', evidence: [{ path: part.path, value: null }], reason };
    }
    const evidence = [{ path: part.path, value: part.value }];
    return part.value.length > 0
      ? { status: 'pass', evidence }
      : { status: 'fail', evidence, reason: 'the lifecycle policy has no rules' };
  },
};
