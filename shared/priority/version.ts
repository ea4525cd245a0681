import { createHash } from 'node:crypto';
import type { EpssVersion, KevVersion } from './types';

/**
 * The data version once KEV and EPSS data join the advisories: the advisories' own hash when
 * there is neither (so a store without them keeps its version), else a sha256 over it, the KEV
 * catalog's version and release, and the EPSS score date and model. Both stores compute it
 * so: equal data, equal version.
 */
export function priorityContentHash(
  advisoriesHash: string,
  kev: KevVersion | undefined,
  epss: EpssVersion | undefined,
): string {
  if (kev === undefined && epss === undefined) return advisoriesHash;
  const hash = createHash('sha256').update(`${advisoriesHash}\n`);
  if (kev !== undefined)
    hash.update(`kev\0${kev.catalogVersion}\0${kev.dateReleased}\0${kev.count}\n`);
  if (epss !== undefined)
    hash.update(`epss\0${epss.scoreDate}\0${epss.modelVersion}\0${epss.count}\n`);
  return `sha256:${hash.digest('hex')}`;
}
