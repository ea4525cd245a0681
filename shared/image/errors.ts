import { ClearanceError, type ErrorKind } from '../core';
import { describeArtifact, withArticle, type ArtifactDescription } from './artifact-kinds';

/** Errors about an image's identity and metadata: references, digests, manifests, configs. */
export abstract class ImageError extends ClearanceError<ImageErrorCode> {}

export type ImageErrorCode =
  | 'INVALID_REFERENCE'
  | 'INVALID_DIGEST'
  | 'DIGEST_MISMATCH'
  | 'SIZE_MISMATCH'
  | 'INVALID_MANIFEST'
  | 'MANIFEST_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IMAGE_NOT_FOUND'
  | 'NO_MATCHING_PLATFORM'
  | 'INVALID_IMAGE_LAYOUT'
  | 'NOT_AN_IMAGE';

abstract class InputImageError extends ImageError {
  readonly kind: ErrorKind = 'input';
}

/** The reference string cannot be parsed; `part` names what is wrong. */
export class InvalidReferenceError extends InputImageError {
  readonly code = 'INVALID_REFERENCE';
  constructor(
    readonly reference: string,
    readonly part: string,
    detail: string,
  ) {
    super(`invalid image reference "${reference}": ${part} ${detail}`);
  }
}

export class InvalidDigestError extends InputImageError {
  readonly code = 'INVALID_DIGEST';
  constructor(readonly digest: string) {
    super(`invalid digest "${digest}": expected sha256:<64 hex> or sha512:<128 hex>`);
  }
}

/** Content does not hash to the digest that names it: tampering or corruption. */
export class DigestMismatchError extends InputImageError {
  readonly code = 'DIGEST_MISMATCH';
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly what: string,
  ) {
    super(`digest mismatch for ${what}: expected ${expected}, got ${actual}`);
  }
}

export class SizeMismatchError extends InputImageError {
  readonly code = 'SIZE_MISMATCH';
  constructor(
    readonly expected: number,
    readonly actual: number,
    readonly what: string,
  ) {
    super(`size mismatch for ${what}: descriptor says ${expected} bytes, read ${actual}`);
  }
}

export class InvalidManifestError extends InputImageError {
  readonly code = 'INVALID_MANIFEST';
  constructor(what: string, detail: string, options?: { cause?: unknown }) {
    super(`invalid ${what}: ${detail}`, options);
  }
}

export class ManifestTooLargeError extends InputImageError {
  readonly code = 'MANIFEST_TOO_LARGE';
  constructor(
    readonly what: string,
    readonly limit: number,
  ) {
    super(`${what} is larger than the ${limit}-byte limit for manifests`);
  }
}

export class UnsupportedMediaTypeError extends InputImageError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  constructor(
    readonly mediaType: string,
    readonly what: string,
    message = `unsupported media type "${mediaType}" for ${what}`,
  ) {
    super(message);
  }
}

/** A Docker image manifest v2, schema 1: deprecated since 2017, refused by default by current Docker and containerd 2. */
export class DockerSchema1ManifestError extends UnsupportedMediaTypeError {
  constructor(mediaType: string, what: string) {
    super(
      mediaType,
      what,
      `${what} is a Docker schema 1 manifest (${mediaType}), deprecated since 2017 and refused by default by current Docker and containerd: push the image again with a current client`,
    );
  }
}

export class ImageNotFoundError extends InputImageError {
  readonly code = 'IMAGE_NOT_FOUND';
}

export class NoMatchingPlatformError extends InputImageError {
  readonly code = 'NO_MATCHING_PLATFORM';
  constructor(
    readonly wanted: string,
    readonly available: readonly string[],
  ) {
    super(`no manifest for platform ${wanted}; the index has ${available.join(', ') || 'none'}`);
  }
}

export class InvalidImageLayoutError extends InputImageError {
  readonly code = 'INVALID_IMAGE_LAYOUT';
}

/** The manifest is a signature, an attestation, an SBOM, a chart…: something other than an image. */
export class NotAnImageError extends InputImageError {
  readonly code = 'NOT_AN_IMAGE';
  constructor(
    readonly artifact: ArtifactDescription,
    readonly what: string,
  ) {
    super(`${what} is not a container image: it is ${withArticle(describeArtifact(artifact))}`);
  }
}
