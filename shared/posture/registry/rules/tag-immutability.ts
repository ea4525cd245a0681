import type { Evidence } from '../../check';
import type { RegistryCheck } from '../check';
import { fieldOf } from '../paths';
import type { RepositorySubject } from '../subjects';

/**
 * IMMUTABLE passes, MUTABLE (or the field absent: MUTABLE is the API's default) fails.
 * IMMUTABLE_WITH_EXCLUSION passes with its filters as evidence (the tags they match stay
 * mutable; whether a deployed tag is among them is for a reader to judge). MUTABLE_WITH_EXCLUSION
 * fails: only the tags its filters match are immutable, every other tag can be moved.
 */
export const tagImmutability: RegistryCheck<RepositorySubject> = {
  id: 'ecr-tag-immutability',
  version: 1,
  title: 'Repository tags can be overwritten',
  severity: 'HIGH',
  cis: null,
  rationale:
    'With mutable tags, anyone who may push can move a deployed tag (`v1.2.0`, `latest`) to another image: what runs is no longer what was scanned and approved.',
  remediation:
    "Set the repository's `imageTagMutability` to `IMMUTABLE` (`aws ecr put-image-tag-mutability --image-tag-mutability IMMUTABLE`), or `IMMUTABLE_WITH_EXCLUSION` with `imageTagMutabilityExclusionFilters` that match no deployed tag.",
  evaluate({ repository: { value, path } }) {
    const setting = value.imageTagMutability;
    const evidence: Evidence[] = [
      { path: fieldOf(path, 'imageTagMutability'), value: setting ?? null },
    ];
    if (setting === 'IMMUTABLE') return { status: 'pass', evidence };
    if (setting === undefined || setting === 'MUTABLE') {
      const reason = setting === undefined ? 'not set: MUTABLE, the default, applies' : undefined;
      return { status: 'fail', evidence, ...(reason !== undefined && { reason }) };
    }
    const filters = (value.imageTagMutabilityExclusionFilters ?? []).map(({ filter }) => filter);
    evidence.push({ path: fieldOf(path, 'imageTagMutabilityExclusionFilters'), value: filters });
    const matching = filters.length === 0 ? 'none' : filters.join(', ');
    if (setting === 'IMMUTABLE_WITH_EXCLUSION')
      return { status: 'pass', evidence, reason: `immutable except tags matching ${matching}` };
    return {
      status: 'fail',
      evidence,
      reason: `mutable except tags matching ${matching}: every other tag can be moved`,
    };
  },
};
