/**
 * Broken index.json, manifest and config documents, and documents of the wrong kind. Each is
 * named by a correct digest and size (the chain above it is recomputed), so what fails is the
 * document itself, not its digest.
 */
import { MediaType } from '../../../shared/image/media-types';
import { nestedArrays } from './bytes';
import { ociCase, type HostileCase } from './case';
import { baseLayers, imageConfig, writeImage, type ImageHooks } from './image';

/** Go's encoding/json (containerd, docker, registries) stops at 10,000 levels. */
const DEEP = 100_000;

function broken(
  id: string,
  description: string,
  hooks: (config: Record<string, unknown>) => ImageHooks,
  options: { config?: Record<string, unknown> } = {},
): HostileCase {
  return ociCase({
    id,
    description,
    expectation: 'invalid',
    async write(dir) {
      const layers = await baseLayers();
      const config = imageConfig(layers, options.config);
      await writeImage(dir, layers, { config, hooks: hooks(config) });
    },
  });
}

const text = (bytes: string): Buffer => Buffer.from(bytes);
const truncated = (value: unknown): Buffer => {
  const json = JSON.stringify(value);
  return text(json.slice(0, Math.floor(json.length / 2)));
};

export const JSON_CASES: readonly HostileCase[] = [
  broken('index-json-truncated', 'index.json cut off halfway through', () => ({
    index: truncated,
  })),
  broken('index-json-not-object', 'index.json is a JSON array, not an object', () => ({
    index: () => [],
  })),
  broken('index-json-wrong-types', 'index.json: manifests is a string, schemaVersion "2"', () => ({
    index: (i) => ({ ...i, schemaVersion: '2', manifests: 'sha256:abc' }),
  })),
  broken(
    'index-json-descriptor-wrong-types',
    'index.json\'s descriptor has size "12" and digest 7',
    () => ({
      index: () => ({ schemaVersion: 2, manifests: [{ mediaType: 1, digest: 7, size: '12' }] }),
    }),
  ),
  broken('index-json-deep-nesting', 'index.json whose manifests is 100,000 nested arrays', () => ({
    index: () => text(`{"schemaVersion":2,"manifests":${nestedArrays(DEEP)}}`),
  })),
  broken('index-json-empty', 'index.json lists no manifest', () => ({
    index: (i) => ({ ...i, manifests: [] }),
  })),
  broken('index-json-bom', 'index.json starts with a UTF-8 byte-order mark', () => ({
    index: (i) => Buffer.concat([text('\ufeff'), text(JSON.stringify(i))]),
  })),
  broken(
    'manifest-truncated',
    'the manifest is cut off halfway (its digest matches the cut bytes)',
    () => ({
      manifest: truncated,
    }),
  ),
  broken('manifest-not-object', 'the manifest is the JSON string "hello"', () => ({
    manifest: () => 'hello',
  })),
  broken('manifest-wrong-types', 'the manifest: layers is an object, config.size is -1', () => ({
    manifest: (m) => ({ ...m, layers: { 0: 'x' }, config: { ...(m.config as object), size: -1 } }),
  })),
  broken('manifest-schema-v1', 'a Docker schema 1 manifest (fsLayers, no config)', () => ({
    manifest: () => ({
      schemaVersion: 1,
      name: 'hostile/app',
      tag: 'latest',
      architecture: 'amd64',
      fsLayers: [
        { blobSum: 'sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4' },
      ],
      history: [{ v1Compatibility: '{"id":"x"}' }],
    }),
    manifestDescriptor: (d) => ({
      ...d,
      mediaType: 'application/vnd.docker.distribution.manifest.v1+json',
    }),
  })),
  broken('manifest-deep-nesting', "the manifest's layers is 100,000 nested arrays", () => ({
    manifest: (m) =>
      text(
        `{"schemaVersion":2,"mediaType":"${MediaType.ociManifest}","config":${JSON.stringify(m.config)},"layers":${nestedArrays(DEEP)}}`,
      ),
  })),
  broken(
    'manifest-duplicate-keys',
    'the manifest names "layers" twice: a JSON parser keeps one list, another parser the other',
    () => ({
      manifest: (m) => {
        const json = JSON.stringify(m);
        const layers = JSON.stringify(m.layers);
        return text(json.replace(`"layers":${layers}`, `"layers":${layers},"layers":[]`));
      },
    }),
  ),
  broken(
    'manifest-ambiguous-index',
    'a manifest that also carries "manifests" (an index and a manifest at once, GHSA-77vh-xpmg-72qh)',
    () => ({
      manifest: (m) => ({ ...m, manifests: [m.config] }),
    }),
  ),
  broken(
    'manifest-type-mismatch',
    'index.json says the root is an image index; the blob is an image manifest',
    () => ({ manifestDescriptor: (d) => ({ ...d, mediaType: MediaType.ociIndex }) }),
  ),
  broken(
    'index-claiming-manifest',
    'index.json names a manifest; the blob is an image index (mediaType and manifests)',
    () => ({
      manifest: (m) => ({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [{ ...(m.config as object), mediaType: MediaType.ociManifest }],
      }),
    }),
  ),
  broken(
    'unknown-layer-media-type',
    'a layer of media type application/vnd.example.unknown',
    () => ({
      layerDescriptor: (d, i) =>
        i === 0 ? { ...d, mediaType: 'application/vnd.example.unknown' } : d,
    }),
  ),
  broken(
    'encrypted-layer',
    'a layer of an ocicrypt type (+encrypted): unreadable without the key',
    () => ({
      layerDescriptor: (d, i) => (i === 0 ? { ...d, mediaType: `${d.mediaType}+encrypted` } : d),
    }),
  ),
  broken(
    'config-truncated',
    'the config is cut off halfway (its digest matches the cut bytes)',
    () => ({
      config: truncated,
    }),
  ),
  broken('config-not-object', 'the config is the JSON number 42', () => ({ config: () => 42 })),
  broken('config-wrong-types', 'the config: rootfs.diff_ids is a string, Env is a number', () => ({
    config: (c) => ({
      ...c,
      config: { Env: 5, User: ['root'] },
      rootfs: { type: 'layers', diff_ids: 'x' },
    }),
  })),
  broken('config-deep-nesting', "the config's Env is 100,000 nested arrays", () => ({
    config: (c) =>
      text(
        `{"architecture":"amd64","os":"linux","rootfs":${JSON.stringify(c.rootfs)},"config":{"Env":${nestedArrays(DEEP)}}}`,
      ),
  })),
  broken(
    'config-no-rootfs',
    'the config has no rootfs (no diff_ids to verify layers against)',
    () => ({
      config: (c) => ({ ...c, rootfs: undefined }),
    }),
  ),
  broken('config-diff-ids-short', 'the config lists one diff_id for two layers', () => ({
    config: (c) => ({
      ...c,
      rootfs: { type: 'layers', diff_ids: [(c.rootfs as { diff_ids: string[] }).diff_ids[0]] },
    }),
  })),
  broken(
    'config-env-over-cap',
    'a config of a million distinct Env entries (about 14 MB, over any sane config size)',
    () => ({
      config: (c) => ({
        ...c,
        config: { Env: Array.from({ length: 1_000_000 }, (_, i) => `VARIABLE_${i}=${i}`) },
      }),
    }),
  ),
  ociCase({
    id: 'config-million-env',
    description: 'a config of a million (identical) Env entries, 6 MB: valid, and big',
    expectation: 'valid-unusual',
    async write(dir) {
      const layers = await baseLayers();
      const config = imageConfig(layers, {
        Env: ['PATH=/usr/bin:/bin', ...Array.from({ length: 1_000_000 }, () => 'A=1')],
      });
      await writeImage(dir, layers, { config });
    },
  }),
  broken(
    'digest-path-traversal',
    'a layer descriptor whose digest is sha256:../../../../../../etc/passwd',
    () => ({
      layerDescriptor: (d, i) =>
        i === 1 ? { ...d, digest: 'sha256:../../../../../../etc/passwd' } : d,
    }),
  ),
  broken('digest-unknown-algorithm', 'a layer descriptor with an md5: digest', () => ({
    layerDescriptor: (d, i) =>
      i === 1 ? { ...d, digest: 'md5:0cc175b9c0f1b6a831c399e269772661' } : d,
  })),
  broken('descriptor-size-huge', 'a layer descriptor claiming 2^63 bytes', () => ({
    manifest: (m) =>
      text(JSON.stringify(m).replace(/"size":(\d+)}\]}$/, '"size":9223372036854775808}]}')),
  })),
];
