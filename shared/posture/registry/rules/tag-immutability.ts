import type { Evidence } from '../../check';
import type { RegistryCheck } from '../check';
import { fieldOf } from '../paths';
import type { RepositorySubject } from '../subjects';

/**
 * IMMUTABLE passes, MUTABLE (or the field absent: MUTABLE is the API's default) fails. The
 * `…_WITH_EXCLUSION` settings pass with their filters as evidence: IMMUTABLE_WITH_EXCLUSION
 * leaves the tags its filters match mutable, MUTABLE_WITH_EXCLUSION makes only those tags
 * immutable. Whether the filters cover the tags that are deployed is not decided here: the
 * evidence and the reason say what a reader has to judge.
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
    const reason =
      setting === 'IMMUTABLE_WITH_EXCLUSION'
        ? `immutable except tags matching ${matching}`
        : `mutable except tags matching ${matching}`;
    return { status: 'pass', evidence, reason };
  },
};
