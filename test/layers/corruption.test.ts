/**
 * Property: whatever bytes of a layer are damaged, the walk either succeeds or fails with a
 * LayerError naming the layer; it never throws anything else and never hangs.
 */
import { Readable } from 'node:stream';
import { sha256Digest } from '../../shared/image/digest';
import { MediaType } from '../../shared/image/media-types';
import { LayerError, walkLayer } from '../../shared/layers';
import { compress, tarOf, type Compression } from '../support/image-builder';

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CASES = 150;

describe('walkLayer on damaged layers', () => {
  describe.each<[Compression, string]>([
    ['gzip', MediaType.ociLayerGzip],
    ['zstd', MediaType.ociLayerZstd],
    ['none', MediaType.ociLayer],
  ])('when a %s layer has random bytes flipped or is cut short', (compression, mediaType) => {
    it(`succeeds or fails with a LayerError, in ${CASES} seeded cases`, async () => {
      const files = Object.fromEntries(
        Array.from({ length: 30 }, (_, i) => [
          `dir${i % 4}/file${i}.txt`,
          `content ${i} `.repeat(i * 7),
        ]),
      );
      const tar = await tarOf(files);
      const blob = compress(tar, compression);
      const outcomes = { ok: 0, layerError: 0 };
      for (let seed = 1; seed <= CASES; seed++) {
        const next = random(seed);
        const damaged = Buffer.from(blob);
        for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--) {
          damaged[Math.floor(next() * damaged.length)] = Math.floor(next() * 256);
        }
        const input =
          next() < 0.3 ? damaged.subarray(0, Math.floor(next() * damaged.length)) : damaged;
        try {
          await walkLayer(Readable.from([input]), {
            descriptor: { mediaType, digest: sha256Digest(input), size: input.length },
            diffId: sha256Digest(tar),
            select: () => true,
          });
          outcomes.ok++;
        } catch (error) {
          if (!(error instanceof LayerError)) throw new Error(`seed ${seed}: ${String(error)}`);
          expect(error.message).toContain(sha256Digest(input));
          outcomes.layerError++;
        }
      }
      expect(outcomes.ok + outcomes.layerError).toBe(CASES);
      expect(outcomes.layerError).toBeGreaterThan(CASES / 2);
    });
  });
});
