import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Digest } from '../../shared/image/digest';
import type { ScanReport } from '../../shared/scan/report';
import { COSIGN_SIGNATURE_ANNOTATION, SIMPLE_SIGNING_MEDIA_TYPE } from '../../shared/signatures';
import { clearance } from '../support/cli';
import { buildImage, type BuiltImage } from '../support/image-builder';
import { pushBlob, pushImage, pushManifest } from '../support/push';
import { startRegistry, type RunningServer } from '../support/registry-server';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A cosign simple-signing payload for `digest`. */
const payloadFor = (digest: string) =>
  Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': 'registry/app' },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );

/**
 * Pushes a signature of `digest` in cosign's tag layout: a manifest tagged `sha256-<hex>.sig`
 * whose layer is the payload, with the base64 signature as an annotation.
 */
async function pushSignature(
  host: string,
  repo: string,
  digest: string,
  signature: string,
  payload = payloadFor(digest),
) {
  const config = Buffer.from('{}');
  await pushBlob(host, repo, config);
  await pushBlob(host, repo, payload);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256Digest(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
          digest: sha256Digest(payload),
          size: payload.length,
          annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signature },
        },
      ],
    }),
  );
  await pushManifest(host, repo, `${digest.replace(':', '-')}.sig`, manifest, OCI_MANIFEST);
}

const signWith = (key: KeyObject, payload: Buffer) =>
  sign('sha256', payload, { key, dsaEncoding: 'der' }).toString('base64');

describe('clearance scan --key', () => {
  let registry: RunningServer;
  let image: BuiltImage;
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyDir = mkdtempSync(join(tmpdir(), 'clearance-keys-'));
  const keyFile = join(keyDir, 'cosign.pub');
  writeFileSync(keyFile, keys.publicKey.export({ format: 'pem', type: 'spki' }));

  beforeAll(async () => {
    registry = await startRegistry();
    image = await buildImage({
      layers: [{ files: { 'etc/os-release': 'ID=debian\nVERSION_ID=12\n' } }],
    });
  });
  afterAll(async () => {
    await registry.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  async function scan(repo: string) {
    const result = await clearance([
      'scan',
      '--no-checks',
      '--key',
      keyFile,
      `${registry.host}/${repo}:1.0`,
    ]);
    expect(result.stderr).not.toMatch(/error/i);
    return result.json<ScanReport>().signature;
  }

  it('reports an image signed by the key as signed, with the key id', async () => {
    await pushImage(registry.host, 'signed', '1.0', image);
    const digest = image.descriptor.digest;
    await pushSignature(
      registry.host,
      'signed',
      digest,
      signWith(keys.privateKey, payloadFor(digest)),
    );
    expect(await scan('signed')).toEqual({
      status: 'signed',
      keyId: expect.stringMatching(/^sha256:/),
      problems: [],
    });
  });

  it('reports an image without signatures as unsigned', async () => {
    await pushImage(registry.host, 'unsigned', '1.0', image);
    expect(await scan('unsigned')).toEqual({ status: 'unsigned', keyId: null, problems: [] });
  });

  it('reports a signature by another key, or of another image, as invalid', async () => {
    await pushImage(registry.host, 'forged', '1.0', image);
    const digest = image.descriptor.digest;
    const stranger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    await pushSignature(
      registry.host,
      'forged',
      digest,
      signWith(stranger.privateKey, payloadFor(digest)),
    );
    expect(await scan('forged')).toMatchObject({
      status: 'invalid',
      problems: ['the signature does not verify with any of the keys'],
    });

    await pushImage(registry.host, 'swapped', '1.0', image);
    const other = `sha256:${'f'.repeat(64)}`;
    const payload = payloadFor(other);
    await pushSignature(
      registry.host,
      'swapped',
      digest,
      signWith(keys.privateKey, payload),
      payload,
    );
    expect(await scan('swapped')).toMatchObject({
      status: 'invalid',
      problems: [`the signature is for ${other}, not ${digest}`],
    });
  });

  it('refuses --key for an image that is not in a registry', async () => {
    const result = await clearance([
      'scan',
      '--key',
      keyFile,
      `oci:${join(__dirname, '..', '..', 'examples', 'demo-image')}:latest`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/signatures are looked up in registries/);
  });
});
