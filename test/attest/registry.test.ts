/**
 * Attestations attached to an image in a real registry (Debian's docker-registry 2.8 on
 * 127.0.0.1, which has no referrers API) and found again: by the referrers API (a proxy that
 * adds it), by the referrers tag schema, and by the `sha256-<hex>.att` tag.
 */
import {
  attachAttestation,
  attestationArtifact,
  attestationTag,
  DSSE_MEDIA_TYPE,
  findAttestations,
  generateSigningKey,
  RegistryArtifactPusher,
  signVerdict,
  verificationKeyFromPem,
  verifyVerdict,
  type ArtifactPusher,
} from '../../shared/attest';
import { RegistryClient } from '../../shared/registry/client';
import { openRegistrySource } from '../../shared/sources/registry-source';
import { buildImage, type BuiltImage } from '../support/image-builder';
import { pushImage } from '../support/push';
import { startReferrersProxy } from '../support/referrers-proxy';
import { startRegistry, type RunningServer } from '../support/registry-server';
import { predicate } from './verdicts';

jest.setTimeout(60_000);

const REPOSITORY = 'team/app';
const AUTH = { username: 'ci', password: 'hunter2-not-real' };
const key = generateSigningKey();
const trusted = [verificationKeyFromPem(key.publicKeyPem)];

let registry: RunningServer;
let image: BuiltImage;
beforeAll(async () => {
  registry = await startRegistry({ auth: AUTH });
  image = await buildImage({ layers: [{ files: { 'app/main.js': 'main()' } }] });
  await pushImage(registry.host, REPOSITORY, '1.0', image, AUTH);
});
afterAll(() => registry.stop());

function client(host: string): RegistryClient {
  return new RegistryClient(host, {
    credentialProviders: [() => Promise.resolve({ ...AUTH, source: 'options' })],
  });
}

function artifact(decision: 'pass' | 'fail' = 'pass') {
  const { digest } = image.descriptor;
  const signed = signVerdictFor(digest, decision);
  return attestationArtifact(signed, image.descriptor, '2026-11-29T10:00:00Z');
}

function signVerdictFor(digest: string, decision: 'pass' | 'fail'): Buffer {
  return signVerdict(REPOSITORY, digest, predicate({ decision }), key);
}

function source(host: string) {
  return openRegistrySource(
    {
      transport: 'docker',
      registry: host,
      repository: REPOSITORY,
      digest: image.descriptor.digest,
    },
    AUTH,
  );
}

describe('attaching to a registry without the referrers API', () => {
  it('tags the artifact sha256-<hex>.att and lists it in the referrers tag schema', async () => {
    const made = artifact();
    const attached = await attachAttestation(
      new RegistryArtifactPusher(client(registry.host)),
      REPOSITORY,
      made,
    );

    expect(attached).toEqual({ digest: made.manifest.digest, via: 'fallback' });
    const src = source(registry.host);
    const tagged = await src.manifestByTag(attestationTag(image.descriptor.digest));
    expect(tagged?.digest).toBe(made.manifest.digest);
    const referrers = await src.listReferrers(image.descriptor.digest, {
      artifactType: DSSE_MEDIA_TYPE,
    });
    expect(referrers).toContainEqual(
      expect.objectContaining({ digest: made.manifest.digest, artifactType: DSSE_MEDIA_TYPE }),
    );
    const found = await findAttestations(src, image.descriptor.digest);
    const verified = verifyVerdict(found, { digest: image.descriptor.digest, keys: trusted });
    expect(verified.attestation).toBe(made.manifest.digest);
  });

  it('finds the attestation by its .att tag alone when no referrers index was written', async () => {
    const full = new RegistryArtifactPusher(client(registry.host));
    const tagOnly: ArtifactPusher = {
      pushBlob: (repository, blob) => full.pushBlob(repository, blob),
      pushManifest: (repository, manifest, reference) =>
        full.pushManifest(repository, manifest, reference),
    };
    const other = await buildImage({ layers: [{ files: { 'other.txt': 'x' } }] });
    await pushImage(registry.host, REPOSITORY, '2.0', other, AUTH);
    const signed = signVerdictFor(other.descriptor.digest, 'fail');
    const made = attestationArtifact(signed, other.descriptor, '2026-11-29T10:00:00Z');
    await attachAttestation(tagOnly, REPOSITORY, made);

    const src = openRegistrySource(
      {
        transport: 'docker',
        registry: registry.host,
        repository: REPOSITORY,
        digest: other.descriptor.digest,
      },
      AUTH,
    );
    expect(await src.listReferrers(other.descriptor.digest)).toEqual([]);
    const found = await findAttestations(src, other.descriptor.digest);
    expect(
      verifyVerdict(found, { digest: other.descriptor.digest, keys: trusted }).statement.predicate
        .decision,
    ).toBe('fail');
  });

  it('adds a second attestation to the referrers index instead of replacing the first', async () => {
    const pusher = new RegistryArtifactPusher(client(registry.host));
    const first = artifact('pass');
    const second = artifact('fail');
    await attachAttestation(pusher, REPOSITORY, first);
    await attachAttestation(pusher, REPOSITORY, second);
    await attachAttestation(pusher, REPOSITORY, second);
    const listed = await source(registry.host).listReferrers(image.descriptor.digest);
    const digests = listed.map((d) => d.digest);
    expect(digests).toEqual(
      expect.arrayContaining([first.manifest.digest, second.manifest.digest]),
    );
    expect(digests.filter((d) => d === second.manifest.digest)).toHaveLength(1);
  });

  it('fails when the credentials do not allow pushing', async () => {
    const anonymous = new RegistryArtifactPusher(new RegistryClient(registry.host));
    await expect(attachAttestation(anonymous, REPOSITORY, artifact())).rejects.toMatchObject({
      code: 'REGISTRY_UNAUTHORIZED',
    });
  });
});

describe('attaching to a registry with the referrers API', () => {
  let proxy: RunningServer;
  beforeAll(async () => {
    proxy = await startReferrersProxy(registry.host);
  });
  afterAll(() => proxy.stop());

  it('pushes the manifest by digest only, and the referrers API lists it', async () => {
    const other = await buildImage({ layers: [{ files: { 'third.txt': 'y' } }] });
    await pushImage(registry.host, REPOSITORY, '3.0', other, AUTH);
    const signed = signVerdictFor(other.descriptor.digest, 'pass');
    const made = attestationArtifact(signed, other.descriptor, '2026-11-29T10:00:00Z');

    const attached = await attachAttestation(
      new RegistryArtifactPusher(client(proxy.host)),
      REPOSITORY,
      made,
    );

    expect(attached.via).toBe('referrers');
    const src = openRegistrySource(
      {
        transport: 'docker',
        registry: proxy.host,
        repository: REPOSITORY,
        digest: other.descriptor.digest,
      },
      AUTH,
    );
    expect(await src.manifestByTag(attestationTag(other.descriptor.digest))).toBeUndefined();
    const found = await findAttestations(src, other.descriptor.digest);
    expect(found.map((f) => f.attestation)).toEqual([made.manifest.digest]);
    expect(verifyVerdict(found, { digest: other.descriptor.digest, keys: trusted }).keyId).toBe(
      key.keyId,
    );
  });
});
