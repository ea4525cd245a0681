import { z } from 'zod';
import { attestationArtifact } from '../attest';
import { attachAttestation, type ArtifactPusher } from '../attest';
import { AttestError } from '../attest';
import type { SigningKey } from '../attest';
import type { VerdictPredicate } from '../attest';
import { signVerdict } from '../attest';
import { scanVersions } from './audit-events';
import { imageName } from './image-names';
import type { ObjectStore } from '../objects';
import type { Clock } from '../core';
import type { ImageOpener, VerdictStore } from './ports';
import { RecordedScan, type EvaluatedPlatform, type ImageTarget } from './states';
import { stepBinding } from './step-binding';

/** Where the public keys are published in the artifacts bucket (`<keyId>.pem`). */
export const VERDICT_KEYS_PREFIX = 'verdict-keys/';

export interface SignVerdictDeps {
  /** The current signing key (Secrets Manager's AWSCURRENT, or the local key file). */
  readonly signingKey: () => Promise<SigningKey>;
  /** The artifacts bucket, where `verdict-keys/<keyId>.pem` is published if absent. */
  readonly objects: ObjectStore;
  /** Reads the image's root manifest or index: the attestation's subject descriptor. */
  readonly opener: ImageOpener;
  /** Where the attestation of an image is pushed (its registry, or its layout locally). */
  readonly pusherFor: (image: ImageTarget) => ArtifactPusher;
  /** Marks the attestation's push as the pipeline's own, so that StartScan does not scan it. */
  readonly verdicts: Pick<VerdictStore, 'markPromotion'>;
  /** How long the mark holds: the trigger window (`CLEARANCE_TRIGGER_WINDOW_SECONDS`). */
  readonly windowSeconds: number;
  readonly clock: Clock;
}

/** SignVerdict's output (at `$.attestation`). */
export const SignedVerdict = z.object({
  /** The key that signed it. */
  keyId: z.string(),
  /** The digest of the attestation's artifact manifest. */
  attestation: z.string(),
});
export type SignedVerdict = z.infer<typeof SignedVerdict>;

/**
 * The SignVerdict state: the recorded verdict signed as an in-toto statement about the image
 * digest and attached to the image as an OCI referrer → `{keyId, attestation}`.
 */
export const SIGN_VERDICT_STEP = stepBinding('SignVerdict', RecordedScan, signScanVerdict);

/**
 * The SignVerdict step: the image's verdict as an in-toto statement about its digest, signed
 * (DSSE) with the current key, attached to the image as an OCI referrer artifact. The key's
 * public half is published first (`verdict-keys/<keyId>.pem`, if absent), so that whatever
 * it signs can be verified. Every verdict is signed, a failing one too: deploy tooling asks
 * for `pass`, and a signed `fail` says so. A retry signs again (ECDSA signatures differ), which
 * attaches a second, equal verdict: the verifier takes the newest. The attestation's push is
 * marked as the pipeline's own (as Promote marks its copies), so StartScan does not scan it.
 */
export async function signScanVerdict(
  scan: RecordedScan,
  deps: SignVerdictDeps,
): Promise<SignedVerdict> {
  const key = await deps.signingKey();
  await publishPublicKey(deps.objects, key);
  const subject = await rootDescriptor(scan.image, deps.opener);
  const now = deps.clock();
  const predicate = verdictPredicate(scan, now.toISOString());
  const envelope = signVerdict(scan.image.repository, scan.image.digest, predicate, key);
  const artifact = attestationArtifact(envelope, subject, predicate.time);
  // The push fires an ECR push event like any other: marked, it starts no scan of the attestation.
  const expiresAt = new Date(now.getTime() + deps.windowSeconds * 1000);
  await deps.verdicts.markPromotion(scan.image.repository, artifact.manifest.digest, expiresAt);
  const pusher = deps.pusherFor(scan.image);
  const attached = await attachAttestation(pusher, scan.image.repository, artifact);
  return { keyId: key.keyId, attestation: attached.digest };
}

/** What is signed: the decision, what decided it, and what was found, summed over platforms. */
export function verdictPredicate(scan: RecordedScan, time: string): VerdictPredicate {
  const { platforms } = scan;
  const versions = scanVersions(scan.analyzerSet, platforms);
  const sum = (pick: (p: EvaluatedPlatform) => number) =>
    platforms.reduce((n, p) => n + pick(p), 0);
  const failedChecks = union(platforms.map((p) => p.failedChecks));
  const failedRules = union(platforms.map((p) => p.failedRules));
  return {
    decision: scan.record.decision,
    policy: { name: platforms[0]!.policy.name, digest: versions.policyDigest! },
    vulnerabilityDataVersion: versions.dataVersion!,
    analyzerSet: scan.analyzerSet,
    counts: {
      critical: sum((p) => p.counts.critical),
      high: sum((p) => p.counts.high),
      medium: sum((p) => p.counts.medium),
      low: sum((p) => p.counts.low),
      unknown: sum((p) => p.counts.unknown),
      secrets: sum((p) => p.secrets),
      failedChecks: failedChecks.length,
      failedRules: failedRules.length,
    },
    failedChecks,
    failedRules,
    platforms: platforms.map((p) => ({
      platform: p.platform,
      manifestDigest: p.manifestDigest,
      decision: p.decision,
      counts: p.counts,
    })),
    time,
    scanId: scan.scanId,
  };
}

/** Publishes `verdict-keys/<keyId>.pem` unless it is there (the rotation publishes it first). */
async function publishPublicKey(objects: ObjectStore, key: SigningKey): Promise<void> {
  const objectKey = `${VERDICT_KEYS_PREFIX}${key.keyId}.pem`;
  if ((await objects.get(objectKey)) === undefined)
    await objects.put(objectKey, Buffer.from(key.publicKeyPem));
}

/** The image's root manifest or index as a descriptor; it must be the digest the scan is about. */
async function rootDescriptor(image: ImageTarget, opener: ImageOpener) {
  const source = await opener.open(image);
  try {
    const root = await source.resolveRoot();
    if (root.digest !== image.digest)
      throw new AttestError(
        'WRONG_SUBJECT',
        `expected the root of ${imageName(image)} to be ${image.digest}, got ${root.digest}`,
        'bug',
      );
    return { mediaType: root.mediaType, digest: root.digest, size: root.bytes.length };
  } finally {
    await source.close();
  }
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}
