/*
 * What is an image, and what kind of artifact a manifest is otherwise, by media type and
 * annotation. Each table entry cites where it is documented; test/fixtures/artifacts/ has a
 * manifest of every kind and its README the sources.
 */
import { essence, type Annotations, type ArtifactKind, type ManifestShape } from './artifact-kinds';
import { ENCRYPTED_LAYER_SUFFIX, MediaType } from './media-types';

/** cosign SIGNATURE_SPEC.md: the simple-signing payload layer of a signature. */
const COSIGN_SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
/** Layer annotations cosign writes on signatures and attestations (cosign pkg/oci/static). */
const COSIGN_LAYER_ANNOTATIONS = [
  'dev.cosignproject.cosign/signature',
  'dev.sigstore.cosign/bundle',
  'dev.sigstore.cosign/certificate',
  'dev.sigstore.cosign/chain',
  // `cosign attest` names the in-toto predicate so (cmd/cosign/cli/attest).
  'predicateType',
];
/**
 * Where the in-toto predicate type is named: BuildKit's and Clearance's layers
 * (`in-toto.io/predicate-type`), cosign's attestation layers (`predicateType`), and the manifest
 * of a Sigstore bundle (sigstore-js packages/oci, cosign WriteAttestationNewBundleFormat).
 */
export const PREDICATE_ANNOTATIONS = [
  'in-toto.io/predicate-type',
  'predicateType',
  'dev.sigstore.bundle.predicateType',
];
/** Notary Project signature-specification.md: required on every Notation signature manifest. */
const NOTATION_THUMBPRINT_ANNOTATION = 'io.cncf.notary.x509chain.thumbprint#S256';
/** Manifest annotations only signatures and attestations carry. */
const ATTESTING_MANIFEST_ANNOTATIONS = [
  'dev.sigstore.bundle.content',
  'dev.sigstore.bundle.predicateType',
  NOTATION_THUMBPRINT_ANNOTATION,
];
export const DSSE_ENVELOPE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
const IN_TOTO_MEDIA_TYPE = 'application/vnd.in-toto+json';
/** BuildKit attestation-storage.md names this config type; its examples use the image config. */
const DOCKER_ATTESTATION_CONFIG_MEDIA_TYPE = 'application/vnd.docker.attestation.config.v1+json';

/** The image config types (image-spec config.md; Docker image manifest v2, schema 2). */
export const IMAGE_CONFIG_MEDIA_TYPES: ReadonlySet<string> = new Set([
  MediaType.ociConfig,
  MediaType.dockerConfig,
]);
/** Filesystem layers: image-spec layer.md's six, and Docker schema 2's (tar, gzip, zstd, foreign). */
const OCI_LAYERS = layerTypes('application/vnd.oci.image.layer.');
const DOCKER_LAYERS = layerTypes('application/vnd.docker.image.rootfs.');

const SBOM_MEDIA_TYPES = new Set([
  // IANA: application/spdx+json, text/spdx, application/vnd.cyclonedx+json and +xml.
  'application/spdx+json',
  'text/spdx',
  // cosign specs/SBOM_SPEC.md (cosign attach sbom).
  'text/spdx+json',
  'text/spdx+xml',
  'application/vnd.cyclonedx',
  'application/vnd.cyclonedx+json',
  'application/vnd.cyclonedx+xml',
  // Syft's own format (buildpacks lifecycle sbom formats; oras attach by Syft users).
  'application/vnd.syft+json',
  // Harbor's generated SBOM accessory (goharbor/pluggable-scanner-spec, Harbor SBOM Artifact Layout).
  'application/vnd.goharbor.harbor.sbom.v1',
]);

// OpenVEX documents (openvex/spec); both spellings are in use (docker attest uses the vnd one).
const VEX_MEDIA_TYPES = new Set(['application/openvex+json', 'application/vnd.openvex+json']);

const HELM_MEDIA_TYPES = new Set([
  // helm/helm pkg/registry/constants.go; HIP-0017 (IANA registrations).
  'application/vnd.cncf.helm.config.v1+json',
  'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  'application/vnd.cncf.helm.chart.provenance.v1.prov',
]);

const WASM_MEDIA_TYPES = new Set([
  // CNCF TAG Runtime "Wasm OCI Artifact layout" (bytecodealliance/rust-oci-wasm).
  'application/vnd.wasm.config.v0+json',
  'application/wasm',
  // engineerd/wasm-to-oci.
  'application/vnd.wasm.config.v1+json',
  // solo-io/wasm spec/spec.md (Envoy and Istio Wasm plugins).
  'application/vnd.module.wasm.config.v1+json',
]);

/** Which kind a media type (an artifactType, a config or a layer type) names, in this order. */
const KIND_BY_MEDIA_TYPE: readonly (readonly [ArtifactKind, (type: string) => boolean])[] = [
  [
    'cosign-signature',
    (t) =>
      t === COSIGN_SIMPLE_SIGNING_MEDIA_TYPE ||
      // cosign's OCI 1.1 signature: its config type (internal/pkg/oci/remote ArtifactType("sig")).
      t === 'application/vnd.dev.cosign.artifact.sig.v1+json',
  ],
  ['cosign-attestation', (t) => t === 'application/vnd.dev.cosign.artifact.att.v1+json'],
  // v0.1/v0.2 `application/vnd.dev.sigstore.bundle+json;version=0.x`, v0.3 `….bundle.v0.3+json`.
  ['sigstore-bundle', (t) => t.startsWith('application/vnd.dev.sigstore.bundle')],
  ['notation-signature', (t) => t === 'application/vnd.cncf.notary.signature'],
  ['helm-chart', (t) => HELM_MEDIA_TYPES.has(t)],
  // Layers end in +wasm: wasm-to-oci's, solo-io's, runwasi oci-tar-builder's component layer.
  ['wasm', (t) => WASM_MEDIA_TYPES.has(t) || t.endsWith('+wasm')],
  ['buildkit-attestation', (t) => t === DOCKER_ATTESTATION_CONFIG_MEDIA_TYPE],
  ['in-toto-attestation', (t) => t === IN_TOTO_MEDIA_TYPE],
  ['sbom', (t) => SBOM_MEDIA_TYPES.has(t)],
  ['vex', (t) => VEX_MEDIA_TYPES.has(t)],
  ['dsse-envelope', (t) => t === DSSE_ENVELOPE_MEDIA_TYPE],
];

/**
 * Whether a manifest is positively an image: no artifactType but an image config's, an image
 * config, only filesystem layers, and no annotation that signs or attests.
 */
export function isImageManifest(m: ManifestShape, artifactType: string | undefined): boolean {
  if (artifactType !== undefined && !IMAGE_CONFIG_MEDIA_TYPES.has(artifactType)) return false;
  if (!hasImageConfig(m) || has(m.annotations, ATTESTING_MANIFEST_ANNOTATIONS)) return false;
  return m.layers.every(
    (l) =>
      isFilesystemLayer(l.mediaType) &&
      !has(l.annotations, [...COSIGN_LAYER_ANNOTATIONS, ...PREDICATE_ANNOTATIONS]),
  );
}

/**
 * The kind of a manifest that is not an image: its shape first (cosign's annotations, BuildKit's
 * layout, Notation's annotation), then the first of its types (artifactType, config, layers) that
 * names a kind. The Clearance verdict is told by its predicate type, which the caller checks.
 */
export function kindOfManifest(m: ManifestShape, artifactType: string | undefined): ArtifactKind {
  const types = [artifactType, m.config.mediaType, ...m.layers.map((l) => l.mediaType)];
  const kinds = types.flatMap((t) => (t === undefined ? [] : [kindOfMediaType(t)]));
  if (kinds.includes('cosign-signature')) return 'cosign-signature';
  const cosigned = m.layers.some((l) => has(l.annotations, COSIGN_LAYER_ANNOTATIONS));
  if (cosigned && kinds.includes('dsse-envelope')) return 'cosign-attestation';
  if (isBuildKitAttestation(m, artifactType)) return 'buildkit-attestation';
  if (has(m.annotations, [NOTATION_THUMBPRINT_ANNOTATION])) return 'notation-signature';
  return kinds.find((k) => k !== undefined) ?? 'oci-artifact';
}

/** The first non-empty value of `keys` in `annotations`. */
export function annotated(
  annotations: Annotations | undefined,
  keys: readonly string[],
): string | undefined {
  return keys.map((k) => annotations?.[k]).find((v) => v !== undefined && v !== '');
}

/** The kind a media type names, if any; parameters (`;version=…`) and case are ignored. */
export function kindOfMediaType(mediaType: string): ArtifactKind | undefined {
  const type = essence(mediaType);
  return KIND_BY_MEDIA_TYPE.find(([, matches]) => matches(type))?.[0];
}

function hasImageConfig(m: ManifestShape): boolean {
  if (IMAGE_CONFIG_MEDIA_TYPES.has(m.config.mediaType)) return true;
  // Docker 1.10 pushed schema 2 manifests whose config said application/octet-stream
  // (python:3.5.1-alpine; moby/moby#48361, containerd/containerd#4756): images all the same.
  return (
    m.config.mediaType === 'application/octet-stream' &&
    m.mediaType === MediaType.dockerManifest &&
    m.layers.length > 0 &&
    m.layers.every((l) => DOCKER_LAYERS.has(l.mediaType))
  );
}

function isFilesystemLayer(mediaType: string): boolean {
  if (OCI_LAYERS.has(mediaType) || DOCKER_LAYERS.has(mediaType)) return true;
  // An encrypted image is still an image; the engine reports its layers unreadable.
  const plain = mediaType.slice(0, -ENCRYPTED_LAYER_SUFFIX.length);
  return mediaType.endsWith(ENCRYPTED_LAYER_SUFFIX) && OCI_LAYERS.has(plain);
}

/** BuildKit attestation-storage.md: an image(-config) manifest whose layers are in-toto statements. */
function isBuildKitAttestation(m: ManifestShape, artifactType: string | undefined): boolean {
  const config = m.config.mediaType;
  if (artifactType !== undefined || m.layers.length === 0) return false;
  if (!IMAGE_CONFIG_MEDIA_TYPES.has(config) && config !== DOCKER_ATTESTATION_CONFIG_MEDIA_TYPE)
    return false;
  return m.layers.every((l) => l.mediaType === IN_TOTO_MEDIA_TYPE);
}

function layerTypes(prefix: string): ReadonlySet<string> {
  return new Set(Object.values(MediaType).filter((t) => t.startsWith(prefix)));
}

function has(annotations: Annotations | undefined, keys: readonly string[]): boolean {
  return annotations !== undefined && keys.some((k) => Object.hasOwn(annotations, k));
}
