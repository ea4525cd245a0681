import {
  DockerSchema1ManifestError,
  InvalidManifestError,
  UnsupportedMediaTypeError,
} from '../../shared/image/errors';
import { parseDescriptor, parseManifest } from '../../shared/image/manifest';
import { MediaType } from '../../shared/image/media-types';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
const descriptor = (mediaType: string, c: string, extra: object = {}) => ({
  mediaType,
  digest: digest(c),
  size: 12,
  ...extra,
});
const bytes = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const index = (fields: object = {}) => ({
  schemaVersion: 2,
  mediaType: MediaType.ociIndex,
  manifests: [descriptor(MediaType.ociManifest, 'a')],
  ...fields,
});
const manifest = (fields: object = {}) => ({
  schemaVersion: 2,
  mediaType: MediaType.ociManifest,
  config: descriptor('application/vnd.oci.image.config.v1+json', 'c'),
  layers: [descriptor('application/vnd.oci.image.layer.v1.tar+gzip', 'd')],
  ...fields,
});

describe('parseManifest', () => {
  describe('when the document is an index or a manifest', () => {
    it('returns the document itself: unknown fields and key order kept', () => {
      const text = JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [{ annotations: { a: 'b' }, ...descriptor(MediaType.ociManifest, 'a'), x: 1 }],
        extra: { y: [1] },
      });
      const parsed = parseManifest(bytes(text), undefined, 'index');
      expect(parsed.kind).toBe('index');
      expect(JSON.stringify(parsed.kind === 'index' && parsed.index)).toBe(text);
    });

    it.each([
      ['an index by its manifests', { schemaVersion: 2, manifests: [] }, undefined, 'index'],
      [
        'a manifest by its config and layers',
        manifest({ mediaType: undefined }),
        undefined,
        'manifest',
      ],
      [
        'the type it was named by',
        manifest({ mediaType: undefined }),
        MediaType.dockerManifest,
        'manifest',
      ],
      [
        'its shape, when named only as JSON',
        index({ mediaType: undefined }),
        'application/json',
        'index',
      ],
    ])('without a mediaType, reads %s', (_, document, hint, kind) => {
      expect(parseManifest(bytes(document), hint, 'm').kind).toBe(kind);
    });
  });

  describe('when the document is malformed', () => {
    it.each([
      ['not JSON', '{', 'not valid JSON'],
      ['an array', [], 'not a JSON object'],
      [
        'nested too deeply',
        `{"schemaVersion":2,"manifests":${'['.repeat(100)}${']'.repeat(100)}}`,
        'nests deeper than 64 levels',
      ],
      ['of another schemaVersion', index({ schemaVersion: '2' }), 'schemaVersion must be 2'],
      ['of a mediaType that is no string', index({ mediaType: 7 }), 'mediaType is not a string'],
      [
        'of no type at all',
        { schemaVersion: 2 },
        'has no mediaType and is neither a manifest nor an index',
      ],
      ['an index without a list', index({ manifests: 'sha256:abc' }), 'manifests is not an array'],
      ['an index listing a string', index({ manifests: ['x'] }), 'manifests[0] is not an object'],
      [
        'a descriptor without a mediaType',
        index({ manifests: [{ digest: digest('a'), size: 1 }] }),
        'manifests[0].mediaType is missing',
      ],
      [
        'a descriptor with a bad digest',
        index({ manifests: [descriptor('x', 'a'), { mediaType: 'x', digest: 7, size: 1 }] }),
        'manifests[1].digest 7 is not a digest',
      ],
      [
        'a descriptor with a string size',
        index({ manifests: [descriptor('x', 'a', { size: '12' })] }),
        'manifests[0].size "12" is not a byte count',
      ],
      [
        'a descriptor with a negative size',
        manifest({ layers: [descriptor('x', 'd', { size: -1 })] }),
        'layers[0].size -1 is not a byte count',
      ],
      [
        'a descriptor with a fractional size',
        manifest({ layers: [descriptor('x', 'd', { size: 1.5 })] }),
        'layers[0].size 1.5 is not a byte count',
      ],
      [
        'a manifest without a config',
        manifest({ config: null, layers: 'x' }),
        'config is not an object',
      ],
      ['a manifest without layers', manifest({ layers: {} }), 'layers is not an array'],
    ])('fails when it is %s', (_, document, detail) => {
      expect(() => parseManifest(bytes(document), undefined, 'm')).toThrow(InvalidManifestError);
      expect(() => parseManifest(bytes(document), undefined, 'm')).toThrow(`invalid m: ${detail}`);
    });
  });

  describe('when the document could be taken for another type (CVE-2021-41190)', () => {
    it.each([
      [
        'an index with layers',
        index({ layers: [] }),
        undefined,
        'is an index with config or layers (ambiguous, CVE-2021-41190)',
      ],
      [
        'a manifest with manifests',
        manifest({ manifests: [] }),
        undefined,
        'is a manifest with manifests (ambiguous, CVE-2021-41190)',
      ],
      [
        'an index named as a manifest',
        index(),
        MediaType.ociManifest,
        `is ${MediaType.ociIndex}, but was named as ${MediaType.ociManifest}`,
      ],
    ])('fails when it is %s', (_, document, hint, detail) => {
      expect(() => parseManifest(bytes(document), hint, 'm')).toThrow(`invalid m: ${detail}`);
    });
  });

  describe('when the document is of a type not read', () => {
    it('fails for Docker schema 1, by version or by media type', () => {
      expect(() =>
        parseManifest(bytes({ schemaVersion: 1, signatures: [] }), undefined, 'm'),
      ).toThrow(DockerSchema1ManifestError);
      expect(() =>
        parseManifest(
          bytes(index({ mediaType: 'application/vnd.docker.distribution.manifest.v1+json' })),
          undefined,
          'm',
        ),
      ).toThrow(DockerSchema1ManifestError);
    });

    it('fails for another media type', () => {
      expect(() =>
        parseManifest(bytes(index({ mediaType: 'text/plain' })), undefined, 'm'),
      ).toThrow(UnsupportedMediaTypeError);
    });
  });
});

describe('parseDescriptor', () => {
  it('returns the descriptor itself', () => {
    const value = descriptor('x', 'a', { platform: { os: 'linux', architecture: 'arm64' } });
    expect(parseDescriptor(value, 'm', 'subject')).toBe(value);
  });

  it('fails naming the field it was given', () => {
    expect(() => parseDescriptor('x', 'm', 'subject')).toThrow(
      'invalid m: subject is not an object',
    );
    expect(() =>
      parseDescriptor({ mediaType: 'x', digest: 'sha256:00', size: 1 }, 'm', 'blobs[2]'),
    ).toThrow('invalid m: blobs[2].digest "sha256:00" is not a digest');
  });
});
