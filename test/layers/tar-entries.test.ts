import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { sha256Digest } from '../../shared/image/digest';
import { MediaType } from '../../shared/image/media-types';
import { MAX_LAYER_PROBLEMS, walkLayer, type LayerListing } from '../../shared/layers';
import { repeatedEntryTar, STACK_BREAKING_COUNT } from '../support/problem-layers';
import { rawTar, type RawEntry } from '../support/raw-tar';

function walk(tar: Buffer): Promise<LayerListing> {
  const blob = gzipSync(tar);
  return walkLayer(Readable.from([blob]), {
    descriptor: {
      mediaType: MediaType.ociLayerGzip,
      digest: sha256Digest(blob),
      size: blob.length,
    },
    diffId: sha256Digest(tar),
  });
}

describe('readEntries', () => {
  describe('when a layer has more problems than MAX_LAYER_PROBLEMS', () => {
    it('keeps the first ones, in the order of the tar, and counts them all', async () => {
      const entries: RawEntry[] = [];
      for (let i = 0; i < 150; i++) {
        entries.push(
          i % 2 === 0
            ? { name: `../escape/${i}` }
            : { name: `link${i}`, type: '1', linkname: `../../nowhere/${i}` },
        );
      }
      entries.push({ name: 'ok', body: 'fine' });
      const listing = await walk(rawTar(entries));
      expect(listing.problemCount).toBe(150);
      expect(listing.problems).toHaveLength(MAX_LAYER_PROBLEMS);
      expect(listing.problems.map((p) => p.path)).toEqual(
        entries.slice(0, MAX_LAYER_PROBLEMS).map((e) => e.name),
      );
      expect(listing.entries.map((e) => e.path)).toEqual(['ok']);
    });

    it(`reads a layer of ${STACK_BREAKING_COUNT} entries that escape the root`, async () => {
      const tar = repeatedEntryTar({ name: '../../etc/cron.d/x' }, STACK_BREAKING_COUNT, {
        name: 'ok',
      });
      const listing = await walk(tar);
      expect(listing.problemCount).toBe(STACK_BREAKING_COUNT);
      expect(listing.problems).toHaveLength(MAX_LAYER_PROBLEMS);
      expect(listing.entries).toHaveLength(1);
    });
  });

  describe('when a layer has no problem', () => {
    it('counts none', async () => {
      const listing = await walk(rawTar([{ name: 'a', body: 'x' }]));
      expect(listing).toMatchObject({ problems: [], problemCount: 0 });
    });
  });
});
