import type { Descriptor, Platform } from './manifest';

/** A platform as users write it: `os/arch[/variant]`, e.g. `linux/arm64/v8`. */
export function formatPlatform(platform: Platform | undefined): string {
  if (platform === undefined) return 'unknown/unknown';
  const parts = [platform.os, platform.architecture];
  if (platform.variant !== undefined && platform.variant !== '') parts.push(platform.variant);
  return parts.join('/');
}

/** Parses `os/arch[/variant]`; returns undefined when the text has not that shape. */
export function parsePlatform(text: string): Platform | undefined {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) return undefined;
  const [os = '', architecture = '', variant] = parts;
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/**
 * Whether `candidate` satisfies `wanted`. A wanted platform without a variant accepts any
 * variant; `arm64` with no variant is `arm64/v8`, as containerd normalises it.
 */
export function platformMatches(wanted: Platform, candidate: Platform | undefined): boolean {
  if (candidate === undefined) return false;
  if (wanted.os !== candidate.os || wanted.architecture !== candidate.architecture) return false;
  if (wanted.variant === undefined) return true;
  return normaliseVariant(wanted) === normaliseVariant(candidate);
}

/**
 * BuildKit attaches provenance and SBOM attestations as index entries with platform
 * `unknown/unknown` and the annotation `vnd.docker.reference.type: attestation-manifest`.
 */
export function isAttestationManifest(descriptor: Descriptor): boolean {
  if (descriptor.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return true;
  const p = descriptor.platform;
  return p?.os === 'unknown' && p.architecture === 'unknown';
}

function normaliseVariant(platform: Platform): string | undefined {
  if (
    platform.architecture === 'arm64' &&
    (platform.variant === undefined || platform.variant === '')
  )
    return 'v8';
  return platform.variant;
}
