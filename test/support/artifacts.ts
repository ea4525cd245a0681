/**
 * Pushable artifacts in the shapes of test/fixtures/artifacts/ (its README names the sources):
 * each fixture's manifest with real small blobs in place of the documented ones (a DSSE envelope,
 * a chart .tgz, a .wasm header …) and its subject pointed at a given image. Written to an OCI
 * layout beside images from ./image-builder.ts, or pushed to a registry with ./push.ts.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  attestationArtifact,
  generateSigningKey,
  IN_TOTO_PAYLOAD_TYPE,
  signVerdict,
} from '../../shared/attest';
import { sha256Digest, type Digest } from '../../shared/image/digest';
import type { Descriptor } from '../../shared/image/manifest';
import { MediaType } from '../../shared/image/media-types';
import { simpleSigningPayload } from './cosign';
import { rootBytes, tarOf, type BuiltRoot } from './image-builder';
import { pushBlob, pushImage, pushManifest } from './push';

export const ARTIFACT_FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'artifacts');

/** Fixtures of things that are not images and that a builder makes (schema 1 is refused, not built). */
export const ARTIFACT_FIXTURES = [
  'cosign-signature-tag',
  'cosign-signature-oci11',
  'cosign-attestation',
  'sigstore-bundle',
  'sigstore-bundle-v0.2',
  'sigstore-bundle-downgraded',
  'in-toto-referrer',
  'dsse-envelope',
  'sbom-spdx-harbor',
  'sbom-cyclonedx-oras',
  'sbom-cosign-attach',
  'openvex',
  'notation-jws',
  'notation-cose',
  'notation-legacy',
  'helm-chart',
  'helm-chart-provenance',
  'wasm-cncf',
  'wasm-solo',
  'wasm-to-oci',
  'buildkit-attestation',
  'clearance-verdict',
  'oci-artifact-manifest',
  'singularity-sif',
  'opa-bundle',
  'index-artifact',
] as const;
export type ArtifactFixture = (typeof ARTIFACT_FIXTURES)[number];

/** A built artifact: its manifest bytes and blobs, and the manifests it lists (an index's). */
export interface BuiltArtifact {
  readonly kind: 'artifact';
  /** The manifest's descriptor, with its artifactType as an index or referrers list holds it. */
  readonly descriptor: Descriptor;
  readonly manifest: Buffer;
  readonly blobs: ReadonlyMap<Digest, Buffer>;
  readonly children: readonly BuiltArtifact[];
}

export type LayoutEntry = BuiltArtifact | BuiltRoot;

/** A fixture's bytes, as documented. */
export function readArtifactFixture(name: string): Buffer {
  return readFileSync(join(ARTIFACT_FIXTURES_DIR, `${name}.json`));
}

/** `sha256-<hex>.sig` (`.att`, `.sbom`): where cosign's tag scheme puts an artifact about `digest`. */
export function cosignTag(digest: Digest, suffix: 'sig' | 'att' | 'sbom'): string {
  return `${digest.replace(':', '-')}.${suffix}`;
}

/** What an artifact is about: an image's root manifest or index. */
export interface Subject {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
}

/** The artifact of fixture `name`, with real blobs, about `subject` where the shape has a subject. */
export async function buildArtifact(
  name: ArtifactFixture,
  subject: Subject,
): Promise<BuiltArtifact> {
  if (name === 'clearance-verdict') return verdictArtifact(subject);
  const doc = JSON.parse(readArtifactFixture(name).toString('utf8')) as Record<string, unknown>;
  if (doc.mediaType === MediaType.ociIndex) return indexArtifact(doc, subject);
  const blobs = new Map<Digest, Buffer>();
  const add = (descriptor: Descriptor, bytes: Buffer): Descriptor => {
    blobs.set(sha256Digest(bytes), bytes);
    return { ...descriptor, digest: sha256Digest(bytes), size: bytes.length };
  };
  const field = Array.isArray(doc.blobs) ? 'blobs' : 'layers';
  const layers: Descriptor[] = [];
  for (const layer of doc[field] as Descriptor[]) {
    const bytes = await contentOf(layer, subject);
    layers.push(add(signedLayer(layer, bytes), bytes));
  }
  const rebuilt: Record<string, unknown> = { ...doc, [field]: layers };
  if (doc.config !== undefined) {
    const config = doc.config as Descriptor & { data?: string };
    const bytes = configOf(config, layers);
    const built = add(config, bytes);
    rebuilt.config =
      config.data === undefined ? built : { ...built, data: bytes.toString('base64') };
  }
  if (doc.subject !== undefined) rebuilt.subject = subjectDescriptor(subject);
  return artifactOf(Buffer.from(JSON.stringify(rebuilt)), blobs, []);
}

/** Writes an OCI image layout with each entry tagged (`org.opencontainers.image.ref.name`). */
export async function writeArtifactLayout(
  dir: string,
  entries: Readonly<Record<string, LayoutEntry>>,
): Promise<void> {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const manifests: Descriptor[] = [];
  for (const [tag, entry] of Object.entries(entries)) {
    for (const [digest, bytes] of allBlobs(entry)) await writeBlob(dir, digest, bytes);
    const { platform: _platform, ...descriptor } = entry.descriptor;
    manifests.push({ ...descriptor, annotations: { 'org.opencontainers.image.ref.name': tag } });
  }
  const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests };
  await writeFile(join(dir, 'index.json'), JSON.stringify(index));
}

/** Pushes each entry under its tag: blobs first, then listed manifests, then the manifest. */
export async function pushArtifacts(
  host: string,
  repository: string,
  entries: Readonly<Record<string, LayoutEntry>>,
): Promise<void> {
  for (const [tag, entry] of Object.entries(entries)) {
    if (entry.kind !== 'artifact') {
      await pushImage(host, repository, tag, entry);
      continue;
    }
    await pushArtifact(host, repository, entry, tag);
  }
}

async function pushArtifact(
  host: string,
  repository: string,
  artifact: BuiltArtifact,
  reference: string,
): Promise<void> {
  for (const child of artifact.children)
    await pushArtifact(host, repository, child, child.descriptor.digest);
  for (const bytes of artifact.blobs.values()) await pushBlob(host, repository, bytes);
  const { mediaType } = artifact.descriptor;
  await pushManifest(host, repository, reference, artifact.manifest, mediaType);
}

/** Clearance's own signed verdict, made by shared/attest exactly as SignVerdict makes it. */
function verdictArtifact(subject: Subject): BuiltArtifact {
  const key = generateSigningKey(new Date('2026-01-01T00:00:00Z'));
  const counts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  const envelope = signVerdict(
    'app',
    subject.digest,
    {
      decision: 'pass',
      policy: { name: 'default', digest: sha256Digest('policy') },
      vulnerabilityDataVersion: '2026-01-01T00:00:00Z',
      analyzerSet: 'analyzers-v1',
      counts: { ...counts, secrets: 0, failedChecks: 0, failedRules: 0 },
      failedChecks: [],
      failedRules: [],
      platforms: [],
      time: '2026-01-01T00:00:00.000Z',
      scanId: 'scan-1',
    },
    key,
  );
  const made = attestationArtifact(envelope, subjectDescriptor(subject), '2026-01-01T00:00:00Z');
  const blobs = new Map(made.blobs.map((b) => [b.digest, b.bytes]));
  return artifactOf(made.manifest.bytes, blobs, []);
}

/** An index artifact: its entries are built as the SBOM referrer they name, one per platform. */
async function indexArtifact(
  doc: Record<string, unknown>,
  subject: Subject,
): Promise<BuiltArtifact> {
  const entries = doc.manifests as Descriptor[];
  const children: BuiltArtifact[] = [];
  for (const _entry of entries) children.push(await buildArtifact('sbom-cyclonedx-oras', subject));
  const manifests = entries.map((d, i) => ({
    ...d,
    ...children[i]!.descriptor,
    platform: d.platform,
  }));
  const index = { ...doc, manifests, subject: subjectDescriptor(subject) };
  return artifactOf(Buffer.from(JSON.stringify(index)), new Map(), children);
}

function artifactOf(
  manifest: Buffer,
  blobs: ReadonlyMap<Digest, Buffer>,
  children: readonly BuiltArtifact[],
): BuiltArtifact {
  const doc = JSON.parse(manifest.toString('utf8')) as { mediaType: string; artifactType?: string };
  const descriptor: Descriptor = {
    mediaType: doc.mediaType,
    digest: sha256Digest(manifest),
    size: manifest.length,
    ...(doc.artifactType !== undefined && { artifactType: doc.artifactType }),
  };
  return { kind: 'artifact', descriptor, manifest, blobs, children };
}

function subjectDescriptor(subject: Subject): Descriptor {
  return { mediaType: subject.mediaType, digest: subject.digest, size: subject.size };
}

function* allBlobs(entry: LayoutEntry): Generator<[Digest, Buffer]> {
  if (entry.kind === 'artifact') {
    for (const child of entry.children) yield* allBlobs(child);
    yield* entry.blobs;
    yield [entry.descriptor.digest, entry.manifest];
    return;
  }
  yield* entry.blobs;
  yield [entry.descriptor.digest, rootBytes(entry)];
}

async function writeBlob(dir: string, digest: Digest, bytes: Buffer): Promise<void> {
  await writeFile(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), bytes);
}

/** A cosign signature layer's annotation, made real: an ECDSA P-256 signature over the payload. */
function signedLayer(layer: Descriptor, payload: Buffer): Descriptor {
  const annotations = layer.annotations;
  if (!annotations?.[COSIGN_SIGNATURE]) return layer;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signature = sign('sha256', payload, { key: privateKey, dsaEncoding: 'der' });
  return {
    ...layer,
    annotations: { ...annotations, [COSIGN_SIGNATURE]: signature.toString('base64') },
  };
}

const COSIGN_SIGNATURE = 'dev.cosignproject.cosign/signature';
const SLSA_PROVENANCE = 'https://slsa.dev/provenance/v1';
const WASM_HEADER = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

interface ContentContext {
  readonly subject: Subject;
  readonly predicateType: string;
}

/** Small real contents by layer media type, first match wins; others get their type as text. */
const CONTENTS: readonly (readonly [
  (type: string) => boolean,
  (ctx: ContentContext) => Buffer | Promise<Buffer>,
])[] = [
  [
    (t) => t === 'application/vnd.dev.cosign.simplesigning.v1+json',
    (c) => simpleSigningPayload(c.subject.digest),
  ],
  [(t) => t === 'application/vnd.dsse.envelope.v1+json', (c) => json(envelopeOf(c))],
  [(t) => t === 'application/vnd.in-toto+json', (c) => json(statementOf(c))],
  [(t) => t.startsWith('application/vnd.dev.sigstore.bundle'), (c) => json(bundleOf(c))],
  [(t) => t.includes('spdx'), () => blob('sbom.spdx.json')],
  // ORAS stores a file with no type given as application/vnd.oci.image.layer.v1.tar.
  [(t) => t.includes('cyclonedx') || t === MediaType.ociLayer, () => blob('sbom.cdx.json')],
  [(t) => t.includes('openvex'), () => blob('vex.openvex.json')],
  [(t) => t === 'application/jose+json', () => blob('signature.jws.json')],
  // COSE_Sign1 (RFC 9052): CBOR tag 18 over [protected, unprotected, payload, signature].
  [(t) => t === 'application/cose', () => Buffer.from('d28443a10126a0f64430450221', 'hex')],
  [(t) => t === 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', () => chartArchive()],
  [(t) => t.endsWith('.prov'), () => blob('hello-0.1.0.tgz.prov')],
  [(t) => t === 'application/wasm' || t.endsWith('+wasm'), () => WASM_HEADER],
  [(t) => t.endsWith('.sif'), () => Buffer.from('#!/usr/bin/env run-singularity\nSIF_MAGIC01')],
  [(t) => t.includes('openpolicyagent'), () => bundleArchive()],
  [(t) => t === 'application/gzip', () => gzipSync('{"bomFormat":"example"}')],
];

async function contentOf(layer: Descriptor, subject: Subject): Promise<Buffer> {
  const type = layer.mediaType.split(';')[0]!.toLowerCase();
  const annotations = layer.annotations ?? {};
  const predicateType =
    annotations.predicateType ?? annotations['in-toto.io/predicate-type'] ?? SLSA_PROVENANCE;
  const make = CONTENTS.find(([matches]) => matches(type))?.[1];
  return make ? make({ subject, predicateType }) : Buffer.from(`${layer.mediaType}\n`);
}

/** The config blob: `{}` where the fixture's is 2 bytes or empty, else what its type holds. */
function configOf(config: Descriptor, layers: readonly Descriptor[]): Buffer {
  if (config.size === 2 || config.mediaType === MediaType.ociEmpty) return Buffer.from('{}');
  const diffIds = layers.map((l) => l.digest);
  if (config.mediaType === 'application/vnd.cncf.helm.config.v1+json')
    return blob('helm-config.json');
  if (config.mediaType === 'application/vnd.module.wasm.config.v1+json')
    return blob('wasm-runtime-config.json');
  if (config.mediaType === 'application/vnd.wasm.config.v0+json') {
    const created = '2026-01-01T00:00:00Z';
    return json({ created, architecture: 'wasm', os: 'wasip1', layerDigests: diffIds });
  }
  // cosign's and BuildKit's artifacts carry an image config listing their layers as diff_ids.
  const imageConfig = {
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  return json(imageConfig);
}

function statementOf(c: ContentContext): unknown {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app', digest: { sha256: c.subject.digest.slice('sha256:'.length) } }],
    predicateType: c.predicateType,
    predicate: {},
  };
}

function envelopeOf(c: ContentContext): unknown {
  const payload = json(statementOf(c));
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${IN_TOTO_PAYLOAD_TYPE.length} ${IN_TOTO_PAYLOAD_TYPE} ${payload.length} `),
    payload,
  ]);
  const sig = sign('sha256', pae, { key: privateKey, dsaEncoding: 'der' }).toString('base64');
  return {
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    payload: payload.toString('base64'),
    signatures: [{ sig }],
  };
}

function bundleOf(c: ContentContext): unknown {
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { publicKey: { hint: 'test-key' }, tlogEntries: [] },
    dsseEnvelope: envelopeOf(c),
  };
}

async function chartArchive(): Promise<Buffer> {
  const tar = await tarOf({
    'hello/Chart.yaml': 'apiVersion: v2\nname: hello\nversion: 0.1.0\n',
    'hello/values.yaml': 'replicaCount: 1\n',
    'hello/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hello\n',
  });
  return gzipSync(tar);
}

async function bundleArchive(): Promise<Buffer> {
  return gzipSync(
    await tarOf({ '.manifest': '{"roots":["policy"]}', 'policy/main.rego': 'package policy\n' }),
  );
}

/** A small real blob from test/fixtures/artifacts/blobs/. */
function blob(name: string): Buffer {
  return readFileSync(join(ARTIFACT_FIXTURES_DIR, 'blobs', name));
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
