import { annotated, PREDICATE_ANNOTATIONS } from './artifact-rules';
import { isDigest, type Digest } from './digest';
import { parseDescriptor, type Descriptor, type ImageManifest } from './manifest';

/* What a manifest is about (its subject) and what it attests (its predicate type), from the
 * manifest, the tag it was read by and the index entry naming it. */

/** What the caller knows besides the bytes: the tag it read them by, the index entry naming them. */
export interface ClassifyHints {
  readonly tag?: string;
  readonly descriptor?: Descriptor;
}

/** cosign's tag scheme (`.sig`, `.att`, `.sbom`) and the referrers tag schema (no suffix). */
export const DIGEST_TAG = /^(sha256|sha512)-([0-9a-f]+)(\.sig|\.att|\.sbom)?$/;

export function predicateTypeOf(
  m: ImageManifest,
  descriptor: Descriptor | undefined,
): string | undefined {
  for (const layer of m.layers) {
    const found = annotated(layer.annotations, PREDICATE_ANNOTATIONS);
    if (found !== undefined) return found;
  }
  return (
    annotated(m.annotations, PREDICATE_ANNOTATIONS) ??
    annotated(descriptor?.annotations, PREDICATE_ANNOTATIONS)
  );
}

export function subjectOf(doc: object, what: string, hints: ClassifyHints): Digest | undefined {
  const subject = (doc as { subject?: unknown }).subject;
  if (subject !== undefined) return parseDescriptor(subject, what, 'subject').digest;
  return hintedSubject(hints);
}

export function hintedSubject(hints: ClassifyHints): Digest | undefined {
  return tagSubject(hints) ?? (hints.descriptor && referenceDigest(hints.descriptor));
}

/** The digest a `<alg>-<hex>[.sig|.att|.sbom]` tag names, when it names a valid one. */
export function tagSubject(hints: ClassifyHints): Digest | undefined {
  const tag = DIGEST_TAG.exec(hints.tag ?? '');
  const digest = tag === null ? undefined : `${tag[1]}:${tag[2]}`;
  return digest !== undefined && isDigest(digest) ? digest : undefined;
}

export function referenceDigest(descriptor: Descriptor): Digest | undefined {
  const digest = descriptor.annotations?.['vnd.docker.reference.digest'];
  return digest !== undefined && isDigest(digest) ? digest : undefined;
}
