import { acceptGaps, coverageOf, matchesGap, parseGapPattern, type Coverage } from '../coverage';
import type { ImageReport } from '../report';
import { identityOf, inScope } from './identity';
import type { Policy } from './policy';

/**
 * What a report without `coverage` (saved by an older version) is taken to have: one gap, so
 * that nothing passes on a coverage nobody recorded.
 */
export const UNKNOWN_COVERAGE: Coverage = coverageOf([
  {
    kind: 'coverage-unknown',
    subject: 'report',
    reason: 'the report records no coverage: scan the image again with this version',
    affects: 'everything the scan may have missed',
    acceptedBy: null,
  },
]);

/**
 * The report's coverage with the gaps that the policy's live exceptions accept marked as
 * accepted by them (`exception <id> (<owner>)`). An exception accepts the gaps its
 * `scope.coverage` names (`no-advisory-source`, `no-advisory-source:fedora *`), for the
 * repositories and digests it also names.
 */
export function acceptByPolicy(
  policy: Policy,
  report: Pick<ImageReport, 'image' | 'coverage'>,
  now: Date,
): Coverage {
  const today = now.toISOString().slice(0, 10);
  const image = identityOf(report);
  const accepting = policy.exceptions
    .filter(
      (e) => e.scope.coverage !== undefined && (e.expires === undefined || e.expires >= today),
    )
    .filter((e) => inScope(e, image))
    .map((e) => ({ exception: e, pattern: parseGapPattern(e.scope.coverage!, e.id) }));
  return acceptGaps(report.coverage ?? UNKNOWN_COVERAGE, (gap) => {
    const found = accepting.find(({ pattern }) => matchesGap(pattern, gap));
    return found && `exception ${found.exception.id} (${found.exception.owner})`;
  });
}
