import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageFactsSource, PostureReport } from '../../shared/posture';
import { POSTURE_CHECKS } from '../../shared/posture';
import { FIXTURES, fixture, postureOf } from './support';

/** Every fixture of one format, judged with a trusted registry and a verdict source. */
async function judged(format: string): Promise<PostureReport[]> {
  const facts: ImageFactsSource = {
    name: 'fixtures',
    lookup: ({ registry }) =>
      Promise.resolve(
        registry.endsWith('.amazonaws.com')
          ? { verdict: 'pass', source: 'fixtures', runsAsRoot: false, healthCheck: true }
          : { verdict: 'unknown', source: 'fixtures' },
      ),
  };
  const files = readdirSync(join(FIXTURES, format)).filter((f) => /\.(json|ya?ml)$/.test(f));
  return Promise.all(
    files.map((file) =>
      postureOf(fixture(`${format}/${file}`), {
        verdicts: facts,
        trustedRegistries: ['*.dkr.ecr.*.amazonaws.com'],
      }),
    ),
  );
}

/**
 * Where a format has no such setting: the check is not applicable to every document of it,
 * with a reason (and so has no passing or failing fixture there).
 */
const NOT_IN_FORMAT: Readonly<Record<string, readonly string[]>> = {
  ecs: ['host-uts', 'service-account-token'],
  kubernetes: ['host-uts', 'host-devices', 'pids-limit', 'central-logging'],
  compose: ['service-account-token'],
};

describe('the fixture corpus (built from the formats’ documentation)', () => {
  it.each(['ecs', 'kubernetes', 'compose'])(
    'has, in %s, a passing and a failing document for every check the format can express',
    async (format) => {
      const seen = new Map<string, Set<string>>();
      for (const report of await judged(format))
        for (const check of report.workloads.flatMap((w) => w.checks))
          (seen.get(check.id) ?? seen.set(check.id, new Set()).get(check.id)!).add(check.status);
      const expected = POSTURE_CHECKS.map((c) => c.id).map((id) =>
        NOT_IN_FORMAT[format]!.includes(id) ? [id, ['not-applicable']] : [id, ['fail', 'pass']],
      );
      const observed = POSTURE_CHECKS.map((c) => c.id).map((id) => {
        const statuses = seen.get(id) ?? new Set();
        return NOT_IN_FORMAT[format]!.includes(id)
          ? [id, [...statuses].sort()]
          : [id, ['fail', 'pass'].filter((s) => statuses.has(s))];
      });
      expect(observed).toEqual(expected);
    },
  );
});
