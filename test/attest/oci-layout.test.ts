import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  attachAttestation,
  attestationArtifact,
  findAttestations,
  generateSigningKey,
  OciLayoutArtifactPusher,
  signVerdict,
  verificationKeyFromPem,
  verifyVerdict,
} from '../../shared/attest';
import { OciLayoutSource } from '../../shared/sources/oci-layout';
import { buildImage, writeOciLayout, type BuiltImage } from '../support/image-builder';
import { useTempDir } from '../support/temp';
import { predicate } from './verdicts';

const key = generateSigningKey();
const trusted = [verificationKeyFromPem(key.publicKeyPem)];

describe('OciLayoutArtifactPusher', () => {
  const dir = useTempDir();
  let image: BuiltImage;
  let layout: string;
  beforeEach(async () => {
    image = await buildImage({ layers: [{ files: { 'app/main.js': 'main()' } }] });
    layout = join(dir(), 'layout');
    await writeOciLayout(layout, { '1.0': image });
  });

  function attach(decision: 'pass' | 'fail', time: string) {
    const envelope = signVerdict(
      'app',
      image.descriptor.digest,
      predicate({ decision, time }),
      key,
    );
    const made = attestationArtifact(envelope, image.descriptor, time);
    return attachAttestation(new OciLayoutArtifactPusher(layout), 'app', made).then(() => made);
  }

  function source(reference: { tag?: string; digest?: string } = {}) {
    return new OciLayoutSource({ transport: 'oci', path: layout, ...reference });
  }

  describe('when an attestation is attached', () => {
    it('lists it in index.json with its artifact type, where the layout finds it by subject', async () => {
      const made = await attach('pass', '2026-11-29T10:00:00Z');
      const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as {
        manifests: { digest: string; artifactType?: string }[];
      };
      expect(index.manifests.map((d) => d.digest)).toEqual([
        image.descriptor.digest,
        made.manifest.digest,
      ]);
      const found = await findAttestations(source({ tag: '1.0' }), image.descriptor.digest);
      const verified = verifyVerdict(found, { digest: image.descriptor.digest, keys: trusted });
      expect(verified.attestation).toBe(made.manifest.digest);
    });

    it('leaves the image the one an untagged reference names', async () => {
      await attach('pass', '2026-11-29T10:00:00Z');
      expect((await source().resolveRoot()).digest).toBe(image.descriptor.digest);
    });
  });

  describe('when the image is attested again', () => {
    it('replaces the earlier attestation, its manifest and envelope removed', async () => {
      const first = await attach('pass', '2026-11-28T10:00:00Z');
      const second = await attach('fail', '2026-11-29T10:00:00Z');
      const found = await findAttestations(source({ tag: '1.0' }), image.descriptor.digest);
      expect(found.map((f) => f.attestation)).toEqual([second.manifest.digest]);
      const blob = (digest: string) => join(layout, 'blobs', 'sha256', digest.slice(7));
      expect(existsSync(blob(first.manifest.digest))).toBe(false);
      expect(existsSync(blob(first.blobs[1]!.digest))).toBe(false);
      expect(existsSync(blob(first.blobs[0]!.digest))).toBe(true);
    });
  });

  describe('when the directory does not exist yet', () => {
    it('makes a layout holding the attestation', async () => {
      layout = join(dir(), 'attestations');
      const made = await attach('pass', '2026-11-29T10:00:00Z');
      expect(readFileSync(join(layout, 'oci-layout'), 'utf8')).toContain('imageLayoutVersion');
      const referrers = await source().listReferrers(image.descriptor.digest);
      expect(referrers.map((d) => d.digest)).toEqual([made.manifest.digest]);
    });
  });

  it('finds nothing for an image without attestations', async () => {
    expect(await findAttestations(source({ tag: '1.0' }), image.descriptor.digest)).toEqual([]);
  });

  it('fails when a blob is not what its digest says', async () => {
    const pusher = new OciLayoutArtifactPusher(layout);
    await expect(
      pusher.pushBlob('app', { digest: `sha256:${'0'.repeat(64)}`, bytes: Buffer.from('x') }),
    ).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });
});
