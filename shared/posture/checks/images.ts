import { parseRegistryReference, type RegistryReference } from '../../image';
import { glob } from '../../policy';
import type { PostureCheck, PostureOutcome } from '../check';
import type { ContainerSpec } from '../workload';
import { eachContainer, evidenceOf, fail, notApplicable, pass } from './outcomes';

/*
 * Which images run: pinned or not, from where, and with what verdict.
 */

/** The container's image reference, parsed as Docker does; a reason when it cannot be. */
export function imageReferenceOf(c: ContainerSpec): RegistryReference | string {
  const text = c.image.value;
  if (text === undefined || text.trim() === '') return 'the container names no image';
  try {
    return parseRegistryReference(text);
  } catch (error) {
    return `not an image reference (a template not rendered?): ${(error as Error).message}`;
  }
}

/**
 * Why the image cannot be judged: not applicable to a Compose service built from source (there
 * is no image to pin or look up), an error for a reference that does not parse.
 */
function unreadable(c: ContainerSpec, reason: string): PostureOutcome {
  if (c.builtFrom !== undefined)
    return notApplicable(
      c,
      [evidenceOf(c.builtFrom)],
      'built from source by Compose (build:): there is no image to pin, trust or look up',
    );
  return { status: 'error', container: c.name, evidence: [evidenceOf(c.image)], reason };
}

/** Whether the reference text names a tag itself (`app:1.2`), not Docker's implied `latest`. */
function namesTag(text: string): boolean {
  const name = text.split('@')[0]!;
  return name.lastIndexOf(':') > name.lastIndexOf('/');
}

export const imagePinned: PostureCheck = {
  id: 'image-pinned',
  version: 1,
  title: 'Image not pinned by digest',
  severity: 'MEDIUM',
  rationale:
    'A tag can be moved after the image was checked (unless the repository’s tags are immutable); a digest names exactly the image whose verdict you have. `latest`, or no tag at all, changes with every push.',
  remediation: {
    ecs: 'Reference the image by digest in "image" (repository@sha256:…); ECS resolves tags to digests per deployment, but the definition itself stays unpinned.',
    kubernetes: 'Reference the image by digest in image (repository@sha256:…).',
    compose: 'Reference the image by digest in image (repository@sha256:…).',
  },
  evaluate(workload) {
    return eachContainer(workload, (c) => {
      const ref = imageReferenceOf(c);
      if (typeof ref === 'string') return unreadable(c, ref);
      if (ref.digest !== undefined) return pass(c, [evidenceOf(c.image)]);
      const text = c.image.value!;
      return fail(
        c,
        [evidenceOf(c.image)],
        namesTag(text) && ref.tag !== 'latest'
          ? `by tag ${ref.tag}: it may be moved after its verdict`
          : 'latest: it changes with every push',
      );
    });
  },
};

export const imageTrustedRegistry: PostureCheck = {
  id: 'image-trusted-registry',
  version: 1,
  title: 'Image from a registry not trusted',
  severity: 'HIGH',
  rationale:
    'Images from registries the team does not control were not checked by its pipeline and can change under it.',
  remediation: {
    ecs: 'Pull the image from a trusted registry (push it to your ECR, or use an ECR pull-through cache) and set "image" to it.',
    kubernetes:
      'Pull the image from a trusted registry (mirror it into your registry) and set image to it.',
    compose:
      'Pull the image from a trusted registry (mirror it into your registry) and set image to it.',
  },
  evaluate(workload, context) {
    return eachContainer(workload, (c) => {
      const ref = imageReferenceOf(c);
      if (typeof ref === 'string') return unreadable(c, ref);
      if (context.trustedRegistries.length === 0)
        return notApplicable(
          c,
          [evidenceOf(c.image)],
          'no trusted registries given (--trusted-registry)',
        );
      const names = [ref.registry, `${ref.registry}/${ref.repository}`];
      const trusted = context.trustedRegistries.some((pattern) =>
        names.some((n) => glob(pattern).test(n)),
      );
      return trusted
        ? pass(c, [{ path: c.image.path, value: ref.registry }])
        : fail(
            c,
            [{ path: c.image.path, value: ref.registry }],
            `${ref.registry} is not among the trusted registries`,
          );
    });
  },
};

export const imageVerdict: PostureCheck = {
  id: 'image-verdict',
  version: 1,
  title: 'Image without a passing verdict',
  severity: 'HIGH',
  rationale:
    'A container should run only an image whose latest verdict passed: one that failed, or was never checked, is a risk nobody accepted.',
  remediation: {
    ecs: 'Fix the image and push it again until its verdict passes, then point "image" at the passing digest.',
    kubernetes:
      'Fix the image and push it again until its verdict passes, then point image at the passing digest.',
    compose:
      'Fix the image and push it again until its verdict passes, then point image at the passing digest.',
  },
  evaluate(workload, context) {
    return eachContainer(workload, (c) => {
      if (c.builtFrom !== undefined) return unreadable(c, 'built from source');
      const facts = context.image(c);
      if (facts === undefined)
        return notApplicable(
          c,
          [evidenceOf(c.image)],
          'no verdict source given (--verdicts or --image-report)',
        );
      const evidence = [
        evidenceOf(c.image),
        {
          path: `verdict (${facts.source})`,
          value: `${facts.verdict}${facts.digest ? ` ${facts.digest}` : ''}`,
        },
      ];
      if (facts.verdict === 'pass' || facts.verdict === 'warn') return pass(c, evidence);
      return fail(
        c,
        evidence,
        facts.verdict === 'fail'
          ? 'the image’s latest verdict is fail'
          : 'no verdict is recorded for this image: it was never checked',
      );
    });
  },
};
