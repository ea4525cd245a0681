/*
 * What a registry holds besides images, as people name it: the kinds of artifact and their
 * labels. artifact-rules.ts decides which kind a manifest is. errors.ts (NotAnImageError)
 * imports this file, so it imports nothing: manifest.ts and digest.ts import errors.ts.
 */
export type ArtifactKind =
  | 'cosign-signature'
  | 'cosign-attestation'
  | 'sigstore-bundle'
  | 'in-toto-attestation'
  | 'dsse-envelope'
  | 'sbom'
  | 'vex'
  | 'notation-signature'
  | 'helm-chart'
  | 'wasm'
  | 'buildkit-attestation'
  | 'clearance-verdict'
  /** Any other artifact. */
  | 'oci-artifact';

/** A content digest `algorithm:hex` (digest.ts's `Digest`, restated: see the note above). */
type Digest = string;

export type Annotations = Readonly<Record<string, string>>;

/** The parts of an image manifest (manifest.ts's ImageManifest) the rules here read. */
export interface ManifestShape {
  readonly mediaType: string;
  readonly config: { readonly mediaType: string };
  readonly layers: readonly { readonly mediaType: string; readonly annotations?: Annotations }[];
  readonly annotations?: Annotations;
}

/** What a non-image manifest is, as far as its manifest (never its blobs) tells. */
export interface ArtifactDescription {
  readonly kind: ArtifactKind;
  /** For people: "cosign signature", "Helm chart", "OCI artifact". */
  readonly label: string;
  /** manifest.artifactType, else the config media type when it is not an image config (what tools call the artifact type). */
  readonly artifactType?: string;
  /** The manifest's media type. */
  readonly mediaType: string;
  readonly configMediaType?: string;
  /** Distinct, in order. */
  readonly layerMediaTypes: readonly string[];
  /** The digest it is about: manifest.subject, else the sha256-<hex>.sig/.att/.sbom tag hint, else the index descriptor's vnd.docker.reference.digest annotation. */
  readonly subject?: Digest;
  /** in-toto predicate type when the layers/annotations name one. */
  readonly predicateType?: string;
}

export const ARTIFACT_LABELS: Readonly<Record<ArtifactKind, string>> = {
  'cosign-signature': 'cosign signature',
  'cosign-attestation': 'cosign attestation',
  'sigstore-bundle': 'Sigstore bundle',
  'in-toto-attestation': 'in-toto attestation',
  'dsse-envelope': 'DSSE envelope',
  sbom: 'SBOM',
  vex: 'VEX document',
  'notation-signature': 'Notation signature',
  'helm-chart': 'Helm chart',
  wasm: 'WebAssembly module',
  'buildkit-attestation': 'BuildKit attestation manifest',
  'clearance-verdict': 'Clearance signed verdict',
  'oci-artifact': 'OCI artifact',
};

/** Artifacts of no kind above that still have a name people know them by. */
const OTHER_ARTIFACT_LABELS: Readonly<Record<string, string>> = {
  // Sylabs: opencontainers/artifacts artifact-authors.md; SingularityCE `oras` push.
  'application/vnd.sylabs.sif.config.v1+json': 'Singularity image (SIF)',
  'application/vnd.sylabs.sif.layer.v1.sif': 'Singularity image (SIF)',
  // fluxcd/pkg/oci: `flux push artifact`.
  'application/vnd.cncf.flux.config.v1+json': 'Flux artifact',
  'application/vnd.cncf.flux.content.v1.tar+gzip': 'Flux artifact',
  // OPA bundles as pushed for Trivy checks and OPA's OCI downloader.
  'application/vnd.cncf.openpolicyagent.config.v1+json': 'OPA bundle',
  'application/vnd.cncf.openpolicyagent.layer.v1.tar+gzip': 'OPA bundle',
};

/** The label of an 'oci-artifact' whose types include a known one, else "OCI artifact". */
export function otherArtifactLabel(mediaTypes: readonly string[]): string {
  for (const type of mediaTypes) {
    const label = OTHER_ARTIFACT_LABELS[essence(type)];
    if (label !== undefined) return label;
  }
  return ARTIFACT_LABELS['oci-artifact'];
}

/** "cosign signature (application/vnd.dev.cosign.simplesigning.v1+json)": the label and the type that tells. */
export function describeArtifact(a: ArtifactDescription): string {
  return `${a.label} (${a.artifactType ?? a.layerMediaTypes[0] ?? a.configMediaType ?? a.mediaType})`;
}

/** "an OCI artifact", "a Helm chart", "an SBOM": the article by the sound of the first word. */
export function withArticle(text: string): string {
  const word = text.split(' ', 1)[0] ?? '';
  // An acronym is spelled out: "an SBOM" (ess), "a DSSE" (dee); else go by the first letter.
  const isAcronym = word.length > 1 && /^[A-Z0-9]+$/.test(word);
  const vowelSound = isAcronym ? /^[AEFHILMNORSX]/.test(word) : /^[aeiou]/i.test(word);
  return `${vowelSound ? 'an' : 'a'} ${text}`;
}

/** A media type's essence (RFC 6838 type/subtype): lower case, without parameters. */
export function essence(mediaType: string): string {
  return (mediaType.split(';', 1)[0] ?? '').trim().toLowerCase();
}
