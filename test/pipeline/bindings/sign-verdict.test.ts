import { join } from 'node:path';
import {
  AttestError,
  findAttestations,
  generateSigningKey,
  OciLayoutArtifactPusher,
  verificationKeyFromPem,
  verifyVerdict,
} from '../../../shared/attest';
import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { LocalImageOpener } from '../../../shared/local/image-opener';
import { OciLayoutSource } from '../../../shared/sources/oci-layout';
import { buildImage, writeOciLayout } from '../../support/image-builder';
import { fixedClock, MemoryObjectStore, MemoryVerdictStore } from '../../support/pipeline-ports';
import {
  evaluatedPlatform,
  failingPlatform,
  recordedScan,
  recordInput,
} from '../../support/pipeline-scans';
import { useTempDir } from '../../support/temp';

const key = generateSigningKey(new Date('2026-11-01T00:00:00Z'));

describe("PIPELINE_STEPS['sign-verdict']", () => {
  const dir = useTempDir();

  async function setUp(signingKey = () => Promise.resolve(key)) {
    const built = await buildImage({ layers: [{ files: { 'app/main.js': 'main()' } }] });
    const layout = join(dir(), 'layout');
    await writeOciLayout(layout, { '1.4.2': built });
    const image = {
      registry: `oci:${layout}`,
      repository: 'payments/api',
      digest: built.descriptor.digest,
      tag: '1.4.2',
    };
    const objects = new MemoryObjectStore();
    const verdicts = new MemoryVerdictStore();
    const handle = bindStep(PIPELINE_STEPS['sign-verdict'], {
      signingKey,
      objects,
      opener: new LocalImageOpener(),
      pusherFor: () => new OciLayoutArtifactPusher(layout),
      verdicts,
      windowSeconds: 300,
      clock: fixedClock('2026-11-29T10:00:05.000Z'),
    });
    const scan = recordedScan(
      recordInput(
        [
          failingPlatform(),
          evaluatedPlatform({
            platform: 'linux/arm64',
            counts: { critical: 0, high: 1, medium: 0, low: 3, unknown: 1 },
          }),
        ],
        {
          image,
        },
      ),
    );
    const attestations = async () =>
      findAttestations(
        new OciLayoutSource({ transport: 'oci', path: layout, tag: '1.4.2' }),
        image.digest,
      );
    return { handle, objects, verdicts, scan, image, attestations };
  }

  describe('when the verdict is recorded', () => {
    it('signs it, attaches it to the image and returns the key and the attestation for $.attestation', async () => {
      const { handle, scan, image, attestations } = await setUp();
      const result = await handle(scan);

      const found = await attestations();
      expect(result).toEqual({ keyId: key.keyId, attestation: found[0]!.attestation });
      const verified = verifyVerdict(found, {
        digest: image.digest,
        keys: [verificationKeyFromPem(key.publicKeyPem)],
      });
      expect(verified.statement.subject).toEqual([
        { name: 'payments/api', digest: { sha256: image.digest.slice(7) } },
      ]);
      expect(verified.statement.predicate).toEqual({
        decision: 'fail',
        policy: { name: 'default', digest: `sha256:${'d'.repeat(64)}` },
        vulnerabilityDataVersion: 'osv-2026-11-29T06:00:00Z',
        analyzerSet: 'analyzers-3f9a1c',
        counts: {
          critical: 2,
          high: 2,
          medium: 4,
          low: 10,
          unknown: 1,
          secrets: 1,
          failedChecks: 1,
          failedRules: 2,
        },
        failedChecks: ['root-user'],
        failedRules: ['no-critical-vulnerabilities', 'no-secrets'],
        platforms: [
          {
            platform: 'linux/amd64',
            manifestDigest: scan.platforms[0]!.manifestDigest,
            decision: 'fail',
            counts: { critical: 2, high: 1, medium: 4, low: 7, unknown: 0 },
          },
          {
            platform: 'linux/arm64',
            manifestDigest: scan.platforms[1]!.manifestDigest,
            decision: 'pass',
            counts: { critical: 0, high: 1, medium: 0, low: 3, unknown: 1 },
          },
        ],
        time: '2026-11-29T10:00:05.000Z',
        scanId: 'scan-1',
      });
    });

    it('publishes the public key under verdict-keys/<keyId>.pem', async () => {
      const { handle, objects, scan } = await setUp();
      await handle(scan);
      expect(objects.objects.get(`verdict-keys/${key.keyId}.pem`)?.toString()).toBe(
        key.publicKeyPem,
      );
    });

    it('leaves a published key as it is', async () => {
      const { handle, objects, scan } = await setUp();
      objects.objects.set(
        `verdict-keys/${key.keyId}.pem`,
        Buffer.from('published by the rotation'),
      );
      await handle(scan);
      expect(objects.objects.get(`verdict-keys/${key.keyId}.pem`)?.toString()).toBe(
        'published by the rotation',
      );
    });

    it("marks the attestation's push as the pipeline's own for the trigger window", async () => {
      const { handle, verdicts, scan } = await setUp();
      const { attestation } = await handle(scan);
      const at = (iso: string) => verdicts.isPromotion('payments/api', attestation, new Date(iso));
      expect(await at('2026-11-29T10:05:00.000Z')).toBe(true);
      expect(await at('2026-11-29T10:05:06.000Z')).toBe(false);
      expect(
        await verdicts.isPromotion(
          'payments/api',
          scan.image.digest,
          new Date('2026-11-29T10:01:00Z'),
        ),
      ).toBe(false);
    });
  });

  describe('when the step is retried', () => {
    it('leaves one attestation in a layout, the newest', async () => {
      const { handle, scan, attestations } = await setUp();
      await handle(scan);
      const again = await handle(scan);
      expect((await attestations()).map((f) => f.attestation)).toEqual([again.attestation]);
    });
  });

  it('fails as Clearance.Transient when the signing key has not been made yet', async () => {
    const { handle, scan } = await setUp(() =>
      Promise.reject(new AttestError('KEY_INVALID', 'holds no key yet', 'transient')),
    );
    await expect(handle(scan)).rejects.toMatchObject({ name: 'Clearance.Transient' });
  });

  it('fails as Clearance.Input when the state has no record', async () => {
    const { handle, scan } = await setUp();
    const { record: _record, ...unrecorded } = scan;
    await expect(handle(unrecorded)).rejects.toMatchObject({ name: 'Clearance.Input' });
  });
});
