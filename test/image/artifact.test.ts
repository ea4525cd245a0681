import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  artifactOfDescriptor,
  classifyManifest,
  describeArtifact,
  NotAnImageError,
  parseManifest,
  VERDICT_PREDICATE_TYPE,
  type ArtifactDescription,
  type Classified,
  type Descriptor,
} from '../../shared/image';
import { VERDICT_PREDICATE_TYPE as ATTEST_VERDICT_PREDICATE_TYPE } from '../../shared/attest';
import {
  ARTIFACT_FIXTURES,
  buildArtifact,
  cosignTag,
  pushArtifacts,
  readArtifactFixture,
  writeArtifactLayout,
  type LayoutEntry,
} from '../support/artifacts';
import { buildImage } from '../support/image-builder';
import { startRegistry } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const COSIGN_SUBJECT = 'sha256:97fc222cee7991b5b061d4d4afdb5f3428fcb0c9054e1690313786befa1e4e36';
const SPEC_SUBJECT = 'sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270';
const NOTARY_SUBJECT = 'sha256:73c803930ea3ba1e54bc25c2bdc53edd0284c62ed651fe7b00369da519a3c333';
const SLSA_V1 = 'https://slsa.dev/provenance/v1';
const EMPTY = 'application/vnd.oci.empty.v1+json';

function classify(name: string, tag?: string): Classified {
  return classifyManifest(readArtifactFixture(name), undefined, `manifest ${name}`, { tag });
}

function artifactOf(name: string, tag?: string): ArtifactDescription {
  const classified = classify(name, tag);
  if (classified.kind !== 'artifact') throw new Error(`${name} classified as ${classified.kind}`);
  return classified.artifact;
}

describe('classifyManifest', () => {
  describe('when the manifest is an image', () => {
    it.each([
      ['image-oci', 'an OCI image manifest, even with a subject'],
      ['image-docker', 'a Docker image manifest v2, schema 2'],
      ['image-docker-foreign', 'a Windows image with a foreign layer'],
      ['image-zero-layers', 'an image config and no layers'],
      ['image-encrypted', 'ocicrypt-encrypted layers (reported unreadable, never skipped)'],
      ['image-wasm-compat', 'a Wasm "compat" image: ordinary tar layers, no mediaType field'],
      ['image-docker-octet-config', "Docker 1.10's application/octet-stream config"],
    ])('classifies %s as an image (%s)', (name) => {
      const parsed = parseManifest(readArtifactFixture(name), undefined, name);
      const manifest = parsed.kind === 'manifest' ? parsed.manifest : undefined;
      expect(classify(name)).toEqual({ kind: 'image', manifest });
    });
  });

  describe('when the manifest is an index', () => {
    it.each(['image-index', 'buildkit-index'])('classifies %s as an index', (name) => {
      expect(classify(name).kind).toBe('index');
    });

    it('classifies an index with an artifactType as that artifact', () => {
      expect(artifactOf('index-artifact')).toEqual({
        kind: 'sbom',
        label: 'SBOM',
        mediaType: 'application/vnd.oci.image.index.v1+json',
        artifactType: 'application/vnd.cyclonedx+json',
        layerMediaTypes: [],
        subject: expect.stringMatching(/^sha256:/),
      });
    });

    it('classifies an index under a referrers tag (sha256-<hex>) as the referrers index', () => {
      const artifact = artifactOf('image-index', COSIGN_SUBJECT.replace(':', '-'));
      expect(artifact).toMatchObject({
        kind: 'oci-artifact',
        label: 'OCI referrers index',
        subject: COSIGN_SUBJECT,
      });
    });
  });

  describe('when the manifest is an artifact', () => {
    it.each<[string, string | undefined, Partial<ArtifactDescription>]>([
      [
        'cosign-signature-tag',
        cosignTag(COSIGN_SUBJECT, 'sig'),
        { kind: 'cosign-signature', label: 'cosign signature', subject: COSIGN_SUBJECT },
      ],
      [
        'cosign-signature-oci11',
        undefined,
        {
          kind: 'cosign-signature',
          artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
          subject: COSIGN_SUBJECT,
        },
      ],
      [
        'cosign-attestation',
        cosignTag(COSIGN_SUBJECT, 'att'),
        {
          kind: 'cosign-attestation',
          label: 'cosign attestation',
          subject: COSIGN_SUBJECT,
          predicateType: 'https://slsa.dev/provenance/v0.2',
        },
      ],
      [
        'sigstore-bundle',
        undefined,
        {
          kind: 'sigstore-bundle',
          label: 'Sigstore bundle',
          artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          configMediaType: EMPTY,
          subject: SPEC_SUBJECT,
          predicateType: SLSA_V1,
        },
      ],
      [
        'sigstore-bundle-v0.2',
        undefined,
        {
          kind: 'sigstore-bundle',
          artifactType: 'application/vnd.dev.sigstore.bundle+json;version=0.2',
          predicateType: SLSA_V1,
        },
      ],
      [
        'sigstore-bundle-downgraded',
        undefined,
        {
          kind: 'sigstore-bundle',
          configMediaType: 'application/vnd.oci.image.config.v1+json',
          layerMediaTypes: ['application/vnd.dev.sigstore.bundle.v0.3+json'],
          predicateType: SLSA_V1,
        },
      ],
      [
        'in-toto-referrer',
        undefined,
        {
          kind: 'in-toto-attestation',
          label: 'in-toto attestation',
          artifactType: 'application/vnd.in-toto+json',
          layerMediaTypes: ['application/vnd.dsse.envelope.v1+json'],
          subject: SPEC_SUBJECT,
        },
      ],
      [
        'dsse-envelope',
        undefined,
        {
          kind: 'dsse-envelope',
          label: 'DSSE envelope',
          artifactType: 'application/vnd.dsse.envelope.v1+json',
          predicateType: SLSA_V1,
        },
      ],
      [
        'sbom-spdx-harbor',
        undefined,
        {
          kind: 'sbom',
          artifactType: 'application/vnd.goharbor.harbor.sbom.v1',
          layerMediaTypes: ['application/spdx+json'],
          subject: 'sha256:0f27d0c6b893b0298fca3c6c7253db047b7c21a9f6815da53ab4208000b839d8',
        },
      ],
      [
        'sbom-cyclonedx-oras',
        undefined,
        { kind: 'sbom', artifactType: 'application/vnd.cyclonedx+json', subject: SPEC_SUBJECT },
      ],
      [
        'sbom-cosign-attach',
        cosignTag(COSIGN_SUBJECT, 'sbom'),
        { kind: 'sbom', layerMediaTypes: ['text/spdx+json'], subject: COSIGN_SUBJECT },
      ],
      [
        'openvex',
        undefined,
        { kind: 'vex', label: 'VEX document', artifactType: 'application/vnd.openvex+json' },
      ],
      [
        'notation-jws',
        undefined,
        {
          kind: 'notation-signature',
          label: 'Notation signature',
          artifactType: 'application/vnd.cncf.notary.signature',
          layerMediaTypes: ['application/jose+json'],
          subject: NOTARY_SUBJECT,
        },
      ],
      [
        'notation-cose',
        undefined,
        { kind: 'notation-signature', layerMediaTypes: ['application/cose'] },
      ],
      [
        'notation-legacy',
        undefined,
        {
          kind: 'notation-signature',
          artifactType: 'application/vnd.cncf.notary.signature',
          configMediaType: 'application/vnd.cncf.notary.signature',
          subject: NOTARY_SUBJECT,
        },
      ],
      [
        'helm-chart',
        undefined,
        {
          kind: 'helm-chart',
          label: 'Helm chart',
          artifactType: 'application/vnd.cncf.helm.config.v1+json',
          layerMediaTypes: ['application/vnd.cncf.helm.chart.content.v1.tar+gzip'],
        },
      ],
      [
        'helm-chart-provenance',
        undefined,
        {
          kind: 'helm-chart',
          layerMediaTypes: [
            'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
            'application/vnd.cncf.helm.chart.provenance.v1.prov',
          ],
        },
      ],
      [
        'wasm-cncf',
        undefined,
        {
          kind: 'wasm',
          label: 'WebAssembly module',
          artifactType: 'application/vnd.wasm.config.v0+json',
          layerMediaTypes: ['application/wasm'],
        },
      ],
      [
        'wasm-solo',
        undefined,
        { kind: 'wasm', artifactType: 'application/vnd.module.wasm.config.v1+json' },
      ],
      [
        'wasm-to-oci',
        undefined,
        { kind: 'wasm', layerMediaTypes: ['application/vnd.wasm.content.layer.v1+wasm'] },
      ],
      [
        'buildkit-attestation',
        undefined,
        {
          kind: 'buildkit-attestation',
          label: 'BuildKit attestation manifest',
          layerMediaTypes: ['application/vnd.in-toto+json'],
          predicateType: 'https://spdx.dev/Document',
        },
      ],
      [
        'clearance-verdict',
        undefined,
        {
          kind: 'clearance-verdict',
          label: 'Clearance signed verdict',
          artifactType: 'application/vnd.dsse.envelope.v1+json',
          predicateType: VERDICT_PREDICATE_TYPE,
        },
      ],
      [
        'oci-artifact-manifest',
        undefined,
        {
          kind: 'oci-artifact',
          label: 'OCI artifact',
          mediaType: 'application/vnd.oci.artifact.manifest.v1+json',
          artifactType: 'application/vnd.example.sbom.v1',
          layerMediaTypes: ['application/gzip'],
          subject: 'sha256:cc06a2839488b8bd2a2b99dcdc03d5cfd818eed72ad08ef3cc197aac64c0d0a0',
        },
      ],
      [
        'singularity-sif',
        undefined,
        {
          kind: 'oci-artifact',
          label: 'Singularity image (SIF)',
          artifactType: 'application/vnd.sylabs.sif.config.v1+json',
        },
      ],
      [
        'opa-bundle',
        undefined,
        {
          kind: 'oci-artifact',
          label: 'OPA bundle',
          artifactType: 'application/vnd.cncf.openpolicyagent.config.v1+json',
        },
      ],
    ])('classifies %s (tag %s)', (name, tag, expected) => {
      expect(artifactOf(name, tag)).toMatchObject(expected);
    });

    it.each([
      ['cosign-signature-tag', 'artifactType'],
      ['cosign-attestation', 'artifactType'],
      ['buildkit-attestation', 'subject'],
      ['sigstore-bundle-downgraded', 'subject'],
    ])('leaves %s without %s when nothing names one', (name, field) => {
      expect(artifactOf(name)).not.toHaveProperty(field);
    });

    it('has a fixture for every artifact a builder makes, each not an image', () => {
      for (const name of ARTIFACT_FIXTURES) expect(classify(name).kind).not.toBe('image');
    });
  });

  describe('when hints name what the manifest is about', () => {
    it('takes the subject from a sha256-<hex>.sig tag', () => {
      expect(artifactOf('cosign-signature-tag', cosignTag(COSIGN_SUBJECT, 'sig')).subject).toBe(
        COSIGN_SUBJECT,
      );
    });

    it('prefers the manifest subject to the tag', () => {
      const tag = cosignTag(`sha256:${'ab'.repeat(32)}`, 'sig');
      expect(artifactOf('cosign-signature-oci11', tag).subject).toBe(COSIGN_SUBJECT);
    });

    it('ignores a tag that only looks like a digest', () => {
      expect(artifactOf('cosign-signature-tag', 'sha256-abc.sig')).not.toHaveProperty('subject');
      expect(classify('image-index', 'sha256-abc').kind).toBe('index');
    });

    it("takes a BuildKit attestation's subject from its index descriptor", () => {
      const index = JSON.parse(readArtifactFixture('buildkit-index').toString('utf8')) as {
        manifests: Descriptor[];
      };
      const descriptor = index.manifests[1]!;
      const classified = classifyManifest(
        readArtifactFixture('buildkit-attestation'),
        descriptor.mediaType,
        'attestation',
        { descriptor },
      );
      expect(classified).toMatchObject({
        kind: 'artifact',
        artifact: {
          kind: 'buildkit-attestation',
          subject: 'sha256:23678f31b3b3586c4fb318aecfe64a96a1f0916ba8faf9b2be2abee63fa9e827',
        },
      });
    });

    it('treats an image-shaped manifest as an attestation when its index descriptor says so', async () => {
      const attestation = await buildImage({
        layers: [{ files: { 'provenance.json': '{}' } }],
        platform: { os: 'unknown', architecture: 'unknown' },
      });
      const descriptor = {
        ...attestation.descriptor,
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      };
      const classified = classifyManifest(attestation.manifest, undefined, 'entry', { descriptor });
      expect(classified).toMatchObject({ artifact: { kind: 'buildkit-attestation' } });
    });
  });

  describe('when the media type is unknown', () => {
    it('classifies a document of an unknown manifest media type as an OCI artifact', () => {
      const bytes = Buffer.from(
        JSON.stringify({ mediaType: 'application/vnd.example.thing+json' }),
      );
      expect(classifyManifest(bytes, undefined, 'thing')).toEqual({
        kind: 'artifact',
        artifact: {
          kind: 'oci-artifact',
          label: 'OCI artifact',
          mediaType: 'application/vnd.example.thing+json',
          layerMediaTypes: [],
        },
      });
    });

    it('goes by the transport media type when the document names none', () => {
      const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, blobs: [] }));
      const classified = classifyManifest(bytes, 'application/vnd.example.thing+json', 'thing');
      expect(classified).toMatchObject({ artifact: { kind: 'oci-artifact' } });
    });

    it('treats an image manifest with an unknown config type as an OCI artifact', () => {
      const manifest = JSON.parse(readArtifactFixture('image-oci').toString('utf8')) as {
        config: { mediaType: string };
      };
      manifest.config.mediaType = 'application/vnd.example.config.v1+json';
      const classified = classifyManifest(Buffer.from(JSON.stringify(manifest)), undefined, 'x');
      expect(classified).toMatchObject({
        artifact: { kind: 'oci-artifact', artifactType: 'application/vnd.example.config.v1+json' },
      });
    });

    it('treats an application/octet-stream layer as no filesystem layer', () => {
      const manifest = JSON.parse(readArtifactFixture('image-oci').toString('utf8')) as {
        layers: { mediaType: string }[];
      };
      manifest.layers[0]!.mediaType = 'application/octet-stream';
      expect(classifyManifest(Buffer.from(JSON.stringify(manifest)), undefined, 'x').kind).toBe(
        'artifact',
      );
    });
  });

  describe('when an image-shaped manifest carries a sign of an artifact', () => {
    function imageOci(): { artifactType?: string; layers: { annotations?: object }[] } {
      return JSON.parse(readArtifactFixture('image-oci').toString('utf8')) as {
        layers: { annotations?: object }[];
      };
    }
    const classifyDoc = (doc: object) =>
      classifyManifest(Buffer.from(JSON.stringify(doc)), undefined, 'manifest');

    it('takes an empty artifactType, on the manifest or its descriptor, for none', () => {
      expect(classifyDoc({ ...imageOci(), artifactType: '' }).kind).toBe('image');
      const bytes = readArtifactFixture('image-oci');
      const descriptor = {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: SPEC_SUBJECT,
        size: 1,
        artifactType: '',
      };
      expect(classifyManifest(bytes, undefined, 'm', { descriptor }).kind).toBe('image');
    });

    it('still takes an artifactType that is an image config for an image', () => {
      const doc = { ...imageOci(), artifactType: 'application/vnd.oci.image.config.v1+json' };
      expect(classifyDoc(doc).kind).toBe('image');
    });

    it.each([
      ['dev.cosignproject.cosign/signature', 'MEUCIQ=='],
      ['predicateType', 'https://slsa.dev/provenance/v1'],
      ['in-toto.io/predicate-type', 'https://spdx.dev/Document'],
    ])('takes a tar layer annotated %s for no image', (key, value) => {
      const doc = imageOci();
      doc.layers[0]!.annotations = { [key]: value };
      expect(classifyDoc(doc).kind).toBe('artifact');
    });

    it('takes a manifest annotated as a Sigstore bundle for no image', () => {
      const doc = {
        ...imageOci(),
        annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope' },
      };
      expect(classifyDoc(doc).kind).toBe('artifact');
    });

    it('takes an octet-stream config for an image only on a Docker schema 2 manifest', () => {
      const doc = JSON.parse(readArtifactFixture('image-oci').toString('utf8')) as {
        config: { mediaType: string };
      };
      doc.config.mediaType = 'application/octet-stream';
      expect(classifyDoc(doc)).toMatchObject({
        artifact: { kind: 'oci-artifact', artifactType: 'application/octet-stream' },
      });
    });
  });

  describe('when the manifest is Docker schema 1', () => {
    it('fails when given the hello-world schema 1 manifest, saying to push it again', () => {
      expect(() => classify('docker-schema1')).toThrow(
        'manifest docker-schema1 is a Docker schema 1 manifest (application/vnd.docker.distribution.manifest.v1+prettyjws), deprecated since 2017 and refused by default by current Docker and containerd: push the image again with a current client',
      );
    });

    it.each([
      ['schemaVersion 1', { schemaVersion: 1, fsLayers: [] }],
      ['its media type', { mediaType: 'application/vnd.docker.distribution.manifest.v1+json' }],
    ])('fails when the document says schema 1 by %s', (_how, doc) => {
      const mediaType = 'application/vnd.docker.distribution.manifest.v1+json';
      const error = catchError(() =>
        classifyManifest(Buffer.from(JSON.stringify(doc)), undefined, 'm'),
      );
      expect(error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', kind: 'input', mediaType });
    });

    it('fails when the transport names the schema 1 media type', () => {
      const bytes = Buffer.from(JSON.stringify({ name: 'x', fsLayers: [] }));
      const type = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
      expect(() => classifyManifest(bytes, type, 'm')).toThrow('Docker schema 1');
    });
  });

  describe('when the bytes are not a manifest', () => {
    it.each([
      ['empty', ''],
      ['malformed JSON', '{"schemaVersion": 2,'],
      ['not an object', '[1, 2]'],
      ['no mediaType and no manifest shape', '{"schemaVersion": 2}'],
      [
        'a non-string artifactType',
        JSON.stringify({
          ...JSON.parse(readArtifactFixture('sigstore-bundle').toString('utf8')),
          artifactType: 7,
        }),
      ],
      [
        'a subject that is no descriptor',
        JSON.stringify({
          ...JSON.parse(readArtifactFixture('sigstore-bundle').toString('utf8')),
          subject: { digest: 'x' },
        }),
      ],
      [
        'artifact manifest blobs that are no array',
        JSON.stringify({ mediaType: 'application/vnd.oci.artifact.manifest.v1+json', blobs: {} }),
      ],
    ])('fails with INVALID_MANIFEST when given %s', (_case, text) => {
      const error = catchError(() => classifyManifest(Buffer.from(text), undefined, 'manifest m'));
      expect(error).toMatchObject({ code: 'INVALID_MANIFEST', kind: 'input' });
    });
  });
});

describe('artifactOfDescriptor', () => {
  const base = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: SPEC_SUBJECT,
    size: 7682,
  };

  describe('when the descriptor is a BuildKit attestation manifest', () => {
    it('describes it with the digest it refers to', () => {
      const index = JSON.parse(readArtifactFixture('buildkit-index').toString('utf8')) as {
        manifests: Descriptor[];
      };
      expect(artifactOfDescriptor(index.manifests[1]!)).toEqual({
        kind: 'buildkit-attestation',
        label: 'BuildKit attestation manifest',
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        layerMediaTypes: [],
        subject: 'sha256:23678f31b3b3586c4fb318aecfe64a96a1f0916ba8faf9b2be2abee63fa9e827',
      });
    });

    it('recognises the unknown/unknown platform alone', () => {
      const descriptor = { ...base, platform: { os: 'unknown', architecture: 'unknown' } };
      expect(artifactOfDescriptor(descriptor)?.kind).toBe('buildkit-attestation');
    });
  });

  describe('when the descriptor carries an artifactType', () => {
    it.each([
      ['application/vnd.dev.sigstore.bundle.v0.3+json', 'sigstore-bundle'],
      ['application/vnd.cncf.notary.signature', 'notation-signature'],
      ['application/spdx+json', 'sbom'],
      ['application/vnd.cyclonedx+json; version=1.6', 'sbom'],
      ['application/vnd.dev.cosign.artifact.sig.v1+json', 'cosign-signature'],
      ['application/vnd.example.unknown', 'oci-artifact'],
    ])('describes %s as %s', (artifactType, kind) => {
      expect(artifactOfDescriptor({ ...base, artifactType })).toMatchObject({ kind, artifactType });
    });

    it('names a Clearance verdict by its predicate annotation', () => {
      const descriptor = {
        ...base,
        artifactType: 'application/vnd.dsse.envelope.v1+json',
        annotations: { 'in-toto.io/predicate-type': VERDICT_PREDICATE_TYPE },
      };
      expect(artifactOfDescriptor(descriptor)?.kind).toBe('clearance-verdict');
    });
  });

  describe('when the descriptor says nothing of an artifact', () => {
    it.each([
      ['a plain platform entry', { ...base, platform: { os: 'linux', architecture: 'amd64' } }],
      [
        'an image config artifactType',
        { ...base, artifactType: 'application/vnd.oci.image.config.v1+json' },
      ],
      ['an empty artifactType', { ...base, artifactType: '' }],
    ])('returns undefined for %s', (_case, descriptor) => {
      expect(artifactOfDescriptor(descriptor)).toBeUndefined();
    });
  });
});

describe('describeArtifact', () => {
  describe('when the artifact is described', () => {
    it.each([
      [
        'cosign-signature-tag',
        'cosign signature (application/vnd.dev.cosign.simplesigning.v1+json)',
      ],
      ['helm-chart', 'Helm chart (application/vnd.cncf.helm.config.v1+json)'],
      ['buildkit-attestation', 'BuildKit attestation manifest (application/vnd.in-toto+json)'],
      ['oci-artifact-manifest', 'OCI artifact (application/vnd.example.sbom.v1)'],
    ])('describes %s as "%s"', (name, text) => {
      expect(describeArtifact(artifactOf(name))).toBe(text);
    });

    it('falls back to the manifest media type when nothing else names it', () => {
      const artifact = {
        kind: 'oci-artifact',
        label: 'OCI artifact',
        mediaType: 'application/x',
        layerMediaTypes: [],
      } as const;
      expect(describeArtifact(artifact)).toBe('OCI artifact (application/x)');
    });
  });
});

describe('NotAnImageError', () => {
  describe('when a manifest is no image', () => {
    it.each([
      ['oci-artifact-manifest', 'an OCI artifact (application/vnd.example.sbom.v1)'],
      ['helm-chart', 'a Helm chart (application/vnd.cncf.helm.config.v1+json)'],
      ['sbom-spdx-harbor', 'an SBOM (application/vnd.goharbor.harbor.sbom.v1)'],
      ['in-toto-referrer', 'an in-toto attestation (application/vnd.in-toto+json)'],
      ['dsse-envelope', 'a DSSE envelope (application/vnd.dsse.envelope.v1+json)'],
      ['opa-bundle', 'an OPA bundle (application/vnd.cncf.openpolicyagent.config.v1+json)'],
      ['cosign-attestation', 'a cosign attestation (application/vnd.dsse.envelope.v1+json)'],
    ])('says what %s is: "%s"', (name, what) => {
      const error = new NotAnImageError(artifactOf(name), 'registry.example/app:1.0');
      expect(error.message).toBe(
        `registry.example/app:1.0 is not a container image: it is ${what}`,
      );
      expect(error).toMatchObject({
        code: 'NOT_AN_IMAGE',
        kind: 'input',
        artifact: artifactOf(name),
      });
    });
  });
});

describe('VERDICT_PREDICATE_TYPE', () => {
  describe('when imported from shared/attest', () => {
    it('is defined once: shared/attest re-exports the classifier’s', () => {
      expect(ATTEST_VERDICT_PREDICATE_TYPE).toBe(VERDICT_PREDICATE_TYPE);
    });
  });
});

describe('writeArtifactLayout', () => {
  const dir = useTempDir();

  describe('when every built artifact is written beside an image', () => {
    it('lets each entry of index.json be classified by its tag and descriptor', async () => {
      const image = await buildImage({ layers: [{ files: { 'app/main.js': 'main()' } }] });
      const subject = image.descriptor;
      const entries: Record<string, LayoutEntry> = { '1.0': image };
      for (const name of ARTIFACT_FIXTURES) entries[name] = await buildArtifact(name, subject);
      entries[cosignTag(subject.digest, 'sig')] = await buildArtifact(
        'cosign-signature-tag',
        subject,
      );
      await writeArtifactLayout(dir(), entries);

      const index = JSON.parse(readFileSync(join(dir(), 'index.json'), 'utf8')) as {
        manifests: Descriptor[];
      };
      const kinds = Object.fromEntries(
        index.manifests.map((descriptor) => {
          const tag = descriptor.annotations!['org.opencontainers.image.ref.name']!;
          const bytes = readFileSync(join(dir(), 'blobs', 'sha256', descriptor.digest.slice(7)));
          const classified = classifyManifest(bytes, descriptor.mediaType, tag, {
            tag,
            descriptor,
          });
          return [tag, classified.kind === 'artifact' ? classified.artifact.kind : classified.kind];
        }),
      );
      expect(kinds).toEqual({
        '1.0': 'image',
        ...Object.fromEntries(ARTIFACT_FIXTURES.map((name) => [name, artifactOf(name).kind])),
        [cosignTag(subject.digest, 'sig')]: 'cosign-signature',
      });
    });
  });
});

describe('pushArtifacts', () => {
  describe('when pushed to a registry (docker-registry on 127.0.0.1)', () => {
    it('pushes every artifact under its tag, and each classifies as read back', async () => {
      const registry = await startRegistry();
      try {
        const image = await buildImage({ layers: [{ files: { 'app/main.js': 'main()' } }] });
        // Distribution 2.8, like the registries that never adopted it, refuses the withdrawn
        // artifact manifest type; the layout test above covers it.
        const names = ARTIFACT_FIXTURES.filter((n) => n !== 'oci-artifact-manifest');
        const entries: Record<string, LayoutEntry> = { '1.0': image };
        for (const name of names) entries[name] = await buildArtifact(name, image.descriptor);
        await pushArtifacts(registry.host, 'app', entries);

        const kinds: Record<string, string> = {};
        for (const tag of Object.keys(entries)) kinds[tag] = await pulledKind(registry.host, tag);
        expect(kinds).toEqual({
          '1.0': 'image',
          ...Object.fromEntries(names.map((name) => [name, artifactOf(name).kind])),
        });
      } finally {
        await registry.stop();
      }
    });
  });

  async function pulledKind(host: string, tag: string): Promise<string> {
    const response = await fetch(`http://${host}/v2/app/manifests/${tag}`, {
      headers: { Accept: ACCEPT.join(', ') },
    });
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const mediaType = response.headers.get('content-type') ?? undefined;
    const classified = classifyManifest(bytes, mediaType, `app:${tag}`, { tag });
    return classified.kind === 'artifact' ? classified.artifact.kind : classified.kind;
  }
});

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

function catchError(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}
