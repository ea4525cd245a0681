import { createHash, type Hash } from 'node:crypto';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError, InvalidDigestError, SizeMismatchError } from './errors';

/** A content digest `algorithm:hex`, as in the OCI image spec (sha256 and sha512 are registered). */
export type Digest = string;

const DIGEST_PATTERN: Readonly<Record<string, RegExp>> = {
  sha256: /^[a-f0-9]{64}$/,
  sha512: /^[a-f0-9]{128}$/,
};

/** Splits and validates a digest; throws {@link InvalidDigestError}. */
export function parseDigest(digest: string): { algorithm: 'sha256' | 'sha512'; hex: string } {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const pattern = DIGEST_PATTERN[algorithm];
  if (colon < 0 || pattern === undefined || !pattern.test(hex)) {
    throw new InvalidDigestError(digest);
  }
  return { algorithm: algorithm as 'sha256' | 'sha512', hex };
}

export function isDigest(value: string): boolean {
  try {
    parseDigest(value);
    return true;
  } catch {
    return false;
  }
}

export function sha256Digest(bytes: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Digest of `bytes` computed with the algorithm of `like`. */
export function digestOf(bytes: Uint8Array, like: Digest): Digest {
  const { algorithm } = parseDigest(like);
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Throws {@link DigestMismatchError} unless `bytes` hash to `expected`. */
export function verifyBytes(bytes: Uint8Array, expected: Digest, what: string): void {
  const actual = digestOf(bytes, expected);
  if (actual !== expected) throw new DigestMismatchError(expected, actual, what);
}

export interface VerifyOptions {
  /** Expected digest of the bytes that pass through. */
  readonly digest: Digest;
  /** Expected byte count, when a descriptor gave one. */
  readonly size?: number;
  /** Names the content in error messages, e.g. `layer sha256:… of example.com/app`. */
  readonly what: string;
}

/**
 * A pass-through stream that hashes and counts what flows through it and fails at the end
 * with {@link DigestMismatchError} or {@link SizeMismatchError}. A stream that reads more bytes
 * than the descriptor's size fails as soon as it does, so a lying server cannot feed us forever.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash;
  private bytes = 0;

  constructor(private readonly expected: VerifyOptions) {
    super();
    this.hash = createHash(parseDigest(expected.digest).algorithm);
  }

  /** Bytes seen so far. */
  get bytesRead(): number {
    return this.bytes;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const { size, what } = this.expected;
    if (size !== undefined && this.bytes > size) {
      callback(new SizeMismatchError(size, this.bytes, what));
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { digest, size, what } = this.expected;
    if (size !== undefined && this.bytes !== size) {
      callback(new SizeMismatchError(size, this.bytes, what));
      return;
    }
    const actual = `${parseDigest(digest).algorithm}:${this.hash.digest('hex')}`;
    callback(actual === digest ? null : new DigestMismatchError(digest, actual, what));
  }
}

/** `source` piped through a {@link VerifyingStream}; an error on either side fails the result. */
export function verified(source: NodeJS.ReadableStream, options: VerifyOptions): VerifyingStream {
  const verifier = new VerifyingStream(options);
  pipeline(source, verifier, () => {
    // pipeline already destroyed `verifier` with the error; the consumer sees it there.
  });
  return verifier;
}
