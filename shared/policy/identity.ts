import { parseImageReference } from '../image';
import type { ImageReport } from '../report';
import type { PolicyException } from './policy';

/** What a policy knows an image by: the names rules match and exceptions scope. */
export interface Identity {
  /** Repository paths the image is known by (`team/app`, `registry/team/app`). */
  readonly repositories: readonly string[];
  readonly tag: string | undefined;
  readonly digests: readonly string[];
  /** Deployment workloads (`kubernetes:prod/Deployment/web`), for exceptions scoped to them. */
  readonly workloads?: readonly string[];
}

export function identityOf(report: Pick<ImageReport, 'image'>): Identity {
  const digests = [report.image.digest, report.image.manifestDigest];
  try {
    const ref = parseImageReference(report.image.reference);
    if (ref.transport === 'docker')
      return {
        repositories: [ref.repository, `${ref.registry}/${ref.repository}`],
        tag: ref.tag,
        digests,
      };
    return {
      repositories: [ref.path],
      tag: ref.transport === 'oci' ? ref.tag : undefined,
      digests,
    };
  } catch {
    return { repositories: [report.image.reference], tag: undefined, digests };
  }
}

/** Whether an exception's repository and digest (those it names) are the image's. */
export function inScope(exception: PolicyException, image: Identity): boolean {
  const { repository, digest, workload } = exception.scope;
  if (digest !== undefined && !image.digests.includes(digest)) return false;
  if (workload !== undefined && !(image.workloads ?? []).some((w) => glob(workload).test(w)))
    return false;
  return repository === undefined || image.repositories.some((r) => glob(repository).test(r));
}

/** `*` within a path segment, `**` across them; the rest literal. */
export function glob(pattern: string): RegExp {
  const source = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`);
}
