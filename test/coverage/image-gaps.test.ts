import { ANALYZERS, analyzeImage, listingsOf } from '../../shared/analyzers';
import { imageGaps } from '../../shared/coverage';
import { resolveImage } from '../../shared/image/resolve';
import { MediaType } from '../../shared/image/media-types';
import { mergeLayers } from '../../shared/layers/file-tree';
import { openImageSource } from '../../shared/sources/open';
import { buildImage, writeOciLayout, type ImageSpec } from '../support/image-builder';
import { rawTar } from '../support/raw-tar';
import { useTempDir } from '../support/temp';

const STATUS =
  'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\n';
const GARBAGE = 'this is not a dpkg database\n\u0000\u0001';

describe('imageGaps', () => {
  const dir = useTempDir();

  async function gapsOf(spec: ImageSpec) {
    const oci = `${dir()}/layout`;
    const image = await buildImage(spec);
    await writeOciLayout(oci, { t: image });
    const source = openImageSource(`oci:${oci}:t`);
    try {
      const [platform] = (await resolveImage(source)).manifests;
      const analyzed = await analyzeImage(source, platform!, ANALYZERS);
      return {
        gaps: imageGaps(analyzed, mergeLayers(listingsOf(analyzed))),
        layers: image.layers.map((l) => l.descriptor.digest),
      };
    } finally {
      await source.close();
    }
  }

  it('finds none in an image read whole', async () => {
    const { gaps } = await gapsOf({ layers: [{ files: { 'var/lib/dpkg/status': STATUS } }] });
    expect(gaps).toEqual([]);
  });

  it('names a layer whose diff_id does not verify as unverified', async () => {
    const { gaps, layers } = await gapsOf({
      layers: [{ files: { a: 'a' } }],
      diffIds: [`sha256:${'1'.repeat(64)}`],
    });
    expect(gaps).toEqual([
      {
        kind: 'layer-unverified',
        subject: layers[0],
        layer: layers[0],
        reason: expect.stringMatching(/does not match diff_id sha256:1{64} \(DIFF_ID_MISMATCH\)$/),
        affects: expect.stringMatching(/not the content the image names/),
        acceptedBy: null,
      },
    ]);
  });

  it('names a layer that cannot be decompressed as unreadable', async () => {
    const { gaps } = await gapsOf({
      layers: [
        { tar: Buffer.from('plain bytes'), compression: 'none', mediaType: MediaType.ociLayerGzip },
      ],
    });
    expect(gaps.map((g) => [g.kind, g.reason])).toEqual([
      ['layer-unreadable', expect.stringMatching(/\(CORRUPT_COMPRESSION\)$/)],
    ]);
  });

  it('counts the entries of a layer that were not read, naming the first', async () => {
    const tar = rawTar([
      { name: 'ok.txt', body: 'fine' },
      { name: '../../etc/passwd', body: 'x' },
      { name: '../outside', body: 'y' },
    ]);
    const { gaps, layers } = await gapsOf({ layers: [{ tar }] });
    expect(gaps).toEqual([
      expect.objectContaining({
        kind: 'layer-entries',
        subject: layers[0],
        reason: expect.stringMatching(/^2 entries not read; first: \.\.\/\.\.\/etc\/passwd: /),
      }),
    ]);
  });

  it('counts hard links to a file no layer holds: the image cannot be unpacked as named', async () => {
    const { gaps, layers } = await gapsOf({
      layers: [
        { files: { 'opt/real': 'x' } },
        {
          files: {
            'opt/ok': { type: 'link', linkname: 'opt/real' },
            'opt/dangling': { type: 'link', linkname: 'opt/missing' },
          },
        },
      ],
    });
    expect(gaps).toEqual([
      expect.objectContaining({
        kind: 'layer-entries',
        subject: layers[1],
        reason:
          '1 entry not read; first: opt/dangling: hard link to opt/missing, which no layer holds',
      }),
    ]);
  });

  it('names a package database of the final filesystem that could not be parsed', async () => {
    const { gaps, layers } = await gapsOf({
      layers: [{ files: { 'var/lib/dpkg/status': GARBAGE } }],
    });
    expect(gaps).toEqual([
      expect.objectContaining({
        kind: 'file-unparsed',
        subject: 'var/lib/dpkg/status',
        layer: layers[0],
        reason: expect.stringMatching(/^dpkg: /),
      }),
    ]);
  });

  it.each([
    ['replaced by a later layer', { 'var/lib/dpkg/status': STATUS }],
    ['deleted by a later layer', { 'var/lib/dpkg/.wh.status': '' }],
  ])('finds no gap in a broken file %s: the image runs without it', async (_, later) => {
    const { gaps } = await gapsOf({
      layers: [{ files: { 'var/lib/dpkg/status': GARBAGE } }, { files: later }],
    });
    expect(gaps).toEqual([]);
  });
});
