import type { IncomingMessage } from 'node:http';
import { sha256Digest } from '../../shared/image/digest';
import type { Descriptor } from '../../shared/image/manifest';
import { MediaType } from '../../shared/image/media-types';
import { RegistryClient } from '../../shared/registry/client';
import { RegistryResponseError } from '../../shared/registry/errors';
import { referrersTag } from '../../shared/registry/referrers';
import { buildImage, descriptorOf, type BuiltImage } from '../support/image-builder';
import { pushBlob, pushImage, pushManifest } from '../support/push';
import { startRegistry, startServer, type RunningServer } from '../support/registry-server';

const SBOM_TYPE = 'application/spdx+json';
const SIGNATURE_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 };
const SUBJECT = sha256Digest('subject');

const descriptor = (n: number, artifactType: string): Descriptor => ({
  mediaType: MediaType.ociManifest,
  digest: sha256Digest(`referrer ${n}`),
  size: 100 + n,
  artifactType,
});

const indexOf = (manifests: readonly Descriptor[]) =>
  JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests });

describe('referrersTag', () => {
  it('names the fallback tag <alg>-<hex>', () => {
    expect(referrersTag(SUBJECT)).toBe(`sha256-${SUBJECT.slice('sha256:'.length)}`);
  });

  it('truncates a sha512 hex to 64 characters', () => {
    expect(referrersTag(`sha512:${'a'.repeat(128)}`)).toBe(`sha512-${'a'.repeat(64)}`);
  });
});

describe('RegistryClient.listReferrers', () => {
  describe('when the registry serves the referrers API', () => {
    let server: RunningServer;
    let requests: IncomingMessage[];
    const pages = [
      [descriptor(1, SBOM_TYPE), descriptor(2, SIGNATURE_TYPE)],
      [descriptor(3, SBOM_TYPE)],
    ];

    beforeAll(async () => {
      server = await startServer((req, res) => {
        requests.push(req);
        const url = new URL(req.url!, 'http://x');
        const page = url.searchParams.get('last') === null ? 0 : 1;
        const headers: Record<string, string> = { 'Content-Type': MediaType.ociIndex };
        if (page === 0) headers.Link = `</v2/team/app/referrers/${SUBJECT}?last=2>; rel="next"`;
        res.writeHead(200, headers).end(indexOf(pages[page]!));
      });
    });

    beforeEach(() => {
      requests = [];
    });

    afterAll(async () => {
      await server.stop();
    });

    const client = () => new RegistryClient(server.host, { retry: FAST_RETRY });

    it('lists the referrers of every page, following Link rel="next"', async () => {
      const referrers = await client().listReferrers('team/app', SUBJECT);

      expect(referrers).toEqual(pages.flat());
      expect(requests.map((r) => r.url)).toEqual([
        `/v2/team/app/referrers/${SUBJECT}`,
        `/v2/team/app/referrers/${SUBJECT}?last=2`,
      ]);
      expect(requests[0]!.headers.accept).toBe(MediaType.ociIndex);
    });

    it('asks the registry to filter by artifactType, and filters itself in case it did not', async () => {
      const referrers = await client().listReferrers('team/app', SUBJECT, {
        artifactType: SBOM_TYPE,
      });

      expect(referrers.map((r) => r.digest)).toEqual([
        descriptor(1, SBOM_TYPE).digest,
        descriptor(3, SBOM_TYPE).digest,
      ]);
      expect(new URL(requests[0]!.url!, 'http://x').searchParams.get('artifactType')).toBe(
        SBOM_TYPE,
      );
    });
  });

  describe('when the next page is on another origin', () => {
    it('fails rather than send the credentials there', async () => {
      const server = await startServer((_, res) => {
        res
          .writeHead(200, { Link: '<https://elsewhere.example/v2/x>; rel="next"' })
          .end(indexOf([]));
      });
      try {
        const failure = new RegistryClient(server.host, { retry: FAST_RETRY }).listReferrers(
          'team/app',
          SUBJECT,
        );

        await expect(failure).rejects.toThrow(RegistryResponseError);
        await expect(failure).rejects.toThrow('expected the next page on http://127.0.0.1');
      } finally {
        await server.stop();
      }
    });
  });

  describe('when the registry has no referrers API (distribution 2.8)', () => {
    let registry: RunningServer;
    let subject: BuiltImage;
    let sbom: Descriptor;
    let signature: Descriptor;

    beforeAll(async () => {
      registry = await startRegistry();
      subject = await buildImage({ layers: [{ files: { 'app.txt': 'app' } }] });
      await pushImage(registry.host, 'team/app', 'v1', subject);
      const { platform: _platform, ...subjectDescriptor } = subject.descriptor;
      sbom = await pushReferrer(registry.host, SBOM_TYPE, subjectDescriptor);
      signature = await pushReferrer(registry.host, SIGNATURE_TYPE, subjectDescriptor);
      const fallback = Buffer.from(indexOf([sbom, signature]));
      await pushManifest(
        registry.host,
        'team/app',
        referrersTag(subject.descriptor.digest),
        fallback,
        MediaType.ociIndex,
      );
    });

    afterAll(async () => {
      await registry.stop();
    });

    const client = () => new RegistryClient(registry.host, { retry: FAST_RETRY });

    it('lists the referrers from the index tagged <alg>-<hex>', async () => {
      await expect(client().listReferrers('team/app', subject.descriptor.digest)).resolves.toEqual([
        sbom,
        signature,
      ]);
    });

    it('keeps only the artifact type asked for', async () => {
      await expect(
        client().listReferrers('team/app', subject.descriptor.digest, {
          artifactType: SIGNATURE_TYPE,
        }),
      ).resolves.toEqual([signature]);
    });

    it('answers no referrers when there is no such tag', async () => {
      await expect(client().listReferrers('team/app', sbom.digest)).resolves.toEqual([]);
    });
  });
});

/** Pushes an OCI 1.1 artifact manifest (empty config, one layer) whose subject is `subject`. */
async function pushReferrer(
  host: string,
  artifactType: string,
  subject: Descriptor,
): Promise<Descriptor> {
  const empty = Buffer.from('{}');
  const payload = Buffer.from(JSON.stringify({ artifactType }));
  await pushBlob(host, 'team/app', empty);
  await pushBlob(host, 'team/app', payload);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      artifactType,
      config: descriptorOf(empty, MediaType.ociEmpty),
      layers: [descriptorOf(payload, artifactType)],
      subject,
    }),
  );
  const pushed = descriptorOf(manifest, MediaType.ociManifest);
  await pushManifest(host, 'team/app', pushed.digest, manifest, MediaType.ociManifest);
  return { ...pushed, artifactType };
}
