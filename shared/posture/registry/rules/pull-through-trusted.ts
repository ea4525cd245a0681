import type { RegistryCheck } from '../check';
import { unreadable } from '../check';
import { fieldOf, wildcard } from '../paths';
import type { RegistrySubject } from '../subjects';

/**
 * Every pull-through cache rule's `upstreamRegistryUrl` must be a trusted upstream (a host, or
 * a `*` glob of hosts). With no trusted upstream given, every rule fails: which upstreams are
 * trustworthy is the user's call, and a gate never passes what it did not check. No rule is
 * not-applicable.
 */
export const pullThroughTrusted: RegistryCheck<RegistrySubject> = {
  id: 'ecr-pull-through-trusted',
  version: 1,
  title: 'Pull-through cache rule reads from an untrusted upstream',
  severity: 'HIGH',
  cis: null,
  rationale:
    "A pull-through cache rule serves whatever the upstream registry holds under the registry's own name: an untrusted upstream puts its images where deployments expect this account's.",
  remediation:
    'Delete the rule (`aws ecr delete-pull-through-cache-rule --ecr-repository-prefix <prefix>`) or point it at a trusted upstream (`upstreamRegistryUrl`), and name the trusted upstreams with --trusted-upstream.',
  evaluate({ pullThroughCacheRules: part }, { trustedUpstreams = [] }) {
    if (part.state === 'unreadable') return unreadable(part.reason);
    const rules = part.state === 'read' ? part.value : [];
    if (rules.length === 0) {
      const evidence = [{ path: part.path, value: [] }];
      return { status: 'not-applicable', evidence, reason: 'no pull-through cache rule' };
    }
    const evidence = rules.map(({ rule, path }) => ({
      path: fieldOf(path, 'upstreamRegistryUrl'),
      value: rule.upstreamRegistryUrl,
    }));
    if (trustedUpstreams.length === 0) {
      const reason =
        'no trusted upstreams configured: name the upstream registries to trust with --trusted-upstream';
      return { status: 'fail', evidence, reason };
    }
    const globs = trustedUpstreams.map((upstream) => wildcard(host(upstream), 'i'));
    const untrusted = evidence.filter(({ value }) => !globs.some((glob) => glob.test(host(value))));
    if (untrusted.length === 0) return { status: 'pass', evidence };
    const reason = `upstreams not trusted: ${untrusted.map(({ value }) => value).join(', ')}`;
    return { status: 'fail', evidence: untrusted, reason };
  },
};

/** `https://Quay.io/` → `quay.io`: upstreams compare by host, whichever way they are written. */
function host(url: string): string {
  return url
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}
